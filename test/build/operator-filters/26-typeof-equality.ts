// Reads optional profile fields that may be null (explicitly unset) or missing (never set).
import { accept } from "nauthilus-sdk";

interface Profile {
  quota: number | null;
  home?: string | null;
  alias?: string;
  flags: Record<string, boolean | undefined>;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  return typeof v;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const profile: Profile = { quota: null, home: undefined, flags: { tls: true, legacy: undefined, off: false } };
  out.push(`quota=${describe(profile.quota)}`, `home=${describe(profile.home)}`, `alias=${describe(profile.alias)}`);
  out.push(`quota_is_null=${profile.quota === null}`, `alias_is_null=${profile.alias === null}`, `alias_loose=${profile.alias == null}`);
  out.push(`typeof_null=${typeof profile.quota}`, `typeof_fn=${typeof describe}`, `typeof_arr=${typeof []}`, `typeof_req=${typeof request}`);
  out.push(`typeof_counter=${typeof request.brute_force_counter}`, `typeof_nan=${typeof NaN}`, `typeof_missing=${typeof profile.alias}`);
  out.push(`has_home=${"home" in profile}`, `has_alias=${"alias" in profile}`, `has_legacy=${"legacy" in profile.flags}`);
  out.push(`flag_keys=${Object.keys(profile.flags).length}`);
  out.push(`deleted=${delete profile.flags.tls}`, `after=${Object.keys(profile.flags).length}`);
  const quotaText = profile.quota === null ? "unlimited" : `${profile.quota}`;
  out.push(`quota_text=${quotaText}`);
  const values: Array<string | null | undefined> = [];
  values.push("x", null, undefined, "");
  out.push(`kinds=${values.map((v) => describe(v)).join(",")}`, `count=${values.length}`);
  out.push(`nulls=${values.filter((v) => v === null).length}`, `undefs=${values.filter((v) => v === undefined).length}`);
  out.push(`template=${null},${undefined}`, `string=${String(null)}`, `concat=${"v:" + null}`);
  out.push(`eq=${0 === -0},${"" == null}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
