// The local password backend of `serve`: a YAML users file standing in for production's passdb
// (LDAP, Lua backend). It answers what a passdb lookup gives the filters: whether the user exists,
// whether the password matched, the account name and the attributes.
//
//   users:
//     - username: alice
//       password: "{BLF-CRYPT}$2y$05$…"   # bcrypt (bcryptjs), with or without Dovecot's prefix,
//       account: alice@example.org         # or "{PLAIN}secret", or plain text
//       attributes: { mailHost: imap1, quota: [1024] }
//
// Passwords are compared without leaking where they differ: plain ones through SHA-256 digests and
// crypto.timingSafeEqual, bcrypt ones by bcryptjs (asynchronous, so a slow hash never blocks the
// server). An unknown user costs a plain comparison too, so a wrong name and a wrong password take
// the same time for plain entries.
import crypto from "node:crypto";
import bcrypt from "bcryptjs";
import { isMap, isScalar, isSeq, type Node } from "yaml";
import { readYaml } from "../nauthilus/yaml-document";
import type { BackendAttributes } from "../types";

export class UsersFileError extends Error {}

/** What the passdb lookup gave for one login. */
export interface PassdbAnswer {
  user_found: boolean;
  authenticated: boolean;
  /** The account name ("" when the user is unknown). */
  account: string;
  /** The attribute that holds the account ("account"; "" when the user is unknown). */
  account_field: string;
  /** The backend's attributes; null when the user is unknown (no map at all). */
  attributes: BackendAttributes | null;
}

interface UserEntry {
  username: string;
  secret: { kind: "plain"; digest: Buffer } | { kind: "bcrypt"; hash: string };
  account: string;
  attributes: BackendAttributes;
}

/** The attribute holding the account name (request.account_field). */
export const ACCOUNT_FIELD = "account";
const BCRYPT = /^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/;
const USER_KEYS = new Set(["username", "password", "account", "attributes"]);
const digest = (text: string | Uint8Array): Buffer =>
  typeof text === "string" ? crypto.createHash("sha256").update(text, "utf8").digest() : crypto.createHash("sha256").update(text).digest();
const UNKNOWN_USER_DIGEST = digest("\0no such user\0");

export class UsersFile {
  private constructor(
    readonly file: string | null,
    private readonly users: ReadonlyMap<string, UserEntry>,
  ) {}

  /** No users file: every user is unknown, and the filters still run (as production runs them
   * after a lookup that found nobody). */
  static none(): UsersFile {
    return new UsersFile(null, new Map());
  }

  static parse(text: string, file: string): UsersFile {
    const { doc, at } = readYaml(text, file, (message) => new UsersFileError(message));
    const root = doc.contents;
    const list = isMap(root) ? root.get("users", true) : undefined;
    if (!isMap(root) || !isSeq(list)) {
      throw new UsersFileError(`${at(root)}: a users file is a mapping with a list "users:" of {username, password, account, attributes}`);
    }
    const users = new Map<string, UserEntry>();
    for (const item of list.items) {
      if (!isMap(item)) throw new UsersFileError(`${at(item as Node)}: each user is a mapping {username, password, account, attributes}`);
      for (const pair of item.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        if (!USER_KEYS.has(key)) throw new UsersFileError(`${at(pair.key as Node)}: unknown key "${key}" (allowed: ${[...USER_KEYS].join(", ")})`);
      }
      const text = (key: string, required: boolean): string | undefined => {
        const node = item.get(key, true);
        if (node === undefined || node === null) {
          if (required) throw new UsersFileError(`${at(item)}: missing "${key}"`);
          return undefined;
        }
        if (!isScalar(node) || typeof node.value === "object") throw new UsersFileError(`${at(node as Node)}: "${key}" must be a string`);
        return String(node.value);
      };
      const username = text("username", true) as string;
      if (username === "") throw new UsersFileError(`${at(item)}: "username" must not be empty`);
      if (users.has(username)) throw new UsersFileError(`${at(item)}: user "${username}" is listed twice`);
      const password = text("password", true) as string;
      let secret: UserEntry["secret"];
      try {
        secret = secretOf(password);
      } catch (e) {
        throw new UsersFileError(`${at(item.get("password", true) as Node)}: ${(e as Error).message}`);
      }
      const attributes = attributesOf(item.get("attributes", true) as Node | undefined, at);
      if (ACCOUNT_FIELD in attributes) {
        throw new UsersFileError(`${at(item)}: user "${username}" sets the attribute "${ACCOUNT_FIELD}": write it as the key "account" of the user instead`);
      }
      users.set(username, { username, secret, account: text("account", false) ?? username, attributes });
    }
    return new UsersFile(file, users);
  }

  get size(): number {
    return this.users.size;
  }

  /** The passdb lookup and password check for one login. */
  async authenticate(username: string, password: string | Uint8Array): Promise<PassdbAnswer> {
    const user = this.users.get(username);
    if (user === undefined) {
      crypto.timingSafeEqual(digest(password), UNKNOWN_USER_DIGEST);
      return { user_found: false, authenticated: false, account: "", account_field: "", attributes: null };
    }
    const matches =
      user.secret.kind === "plain"
        ? crypto.timingSafeEqual(digest(password), user.secret.digest)
        : typeof password === "string" && (await bcrypt.compare(password, user.secret.hash));
    // The account is an attribute as well, named by account_field (as an LDAP uid would be).
    const attributes: BackendAttributes = { [ACCOUNT_FIELD]: [user.account] };
    for (const [k, v] of Object.entries(user.attributes)) attributes[k] = [...v];
    return { user_found: true, authenticated: matches, account: user.account, account_field: ACCOUNT_FIELD, attributes };
  }
}

/** `{BLF-CRYPT}$2y$…` or a bare bcrypt hash; `{PLAIN}text`; anything else is plain text. */
function secretOf(password: string): UserEntry["secret"] {
  const scheme = /^\{([A-Z0-9.-]+)\}/.exec(password);
  const rest = scheme ? password.slice(scheme[0].length) : password;
  if (scheme && scheme[1] !== "PLAIN" && scheme[1] !== "BLF-CRYPT") {
    throw new UsersFileError(`password scheme {${scheme[1]}} is not supported here: use {BLF-CRYPT} (bcrypt) or {PLAIN}`);
  }
  if (scheme?.[1] === "BLF-CRYPT" || (!scheme && BCRYPT.test(rest))) {
    if (!BCRYPT.test(rest)) throw new UsersFileError(`a {BLF-CRYPT} password must be a bcrypt hash ($2y$NN$ and 53 characters)`);
    return { kind: "bcrypt", hash: rest.replace(/^\$2y\$/, "$2b$") };
  }
  return { kind: "plain", digest: digest(rest) };
}

/** attributes: {name: value or [values]}; values are strings, numbers or booleans. */
function attributesOf(node: Node | undefined, at: (n: Node | null | undefined) => string): BackendAttributes {
  if (node === undefined || node === null) return {};
  if (!isMap(node)) throw new UsersFileError(`${at(node)}: "attributes" must be a mapping {name: value or [values]}`);
  const out: BackendAttributes = {};
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value as Node | null;
    const items = isSeq(value) ? value.items : [value];
    out[name] = items.map((v) => {
      if (!isScalar(v) || !["string", "number", "boolean"].includes(typeof v.value)) {
        throw new UsersFileError(`${at((v as Node) ?? value)}: attribute "${name}" values must be strings, numbers or booleans`);
      }
      return v.value as string | number | boolean;
    });
  }
  return out;
}
