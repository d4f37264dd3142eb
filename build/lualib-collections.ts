// TypeScriptToLua's Map and Set, replaced where their iteration is not JavaScript's: its lualib
// links keys to keys, and deleting the entry a for…of (or forEach) stands on unlinks it, so the
// loop ends there; clear() during a loop went on over the old entries, and a `false` key ended a
// loop (`done = not key`). JavaScript visits every entry present when the iterator reaches it, in
// insertion order, whatever was deleted or added meanwhile.
//
// Here each entry is a node {key, value} in a chain in insertion order. A node is live while the
// map still maps its key to that very node (a key deleted and added again is a new node at the
// end). Deleting unlinks the node from the live chain but keeps its `next`, so an iterator
// standing on it goes on with the entries that followed it. A deleted node that had no successor
// (and the last node at clear()) points to `future`, a node that is never live, whose `next`
// becomes the next entry added: nothing but iterators holds on to deleted nodes. The methods and
// the `size` field are TypeScriptToLua's; only Map.lua and Set.lua read their fields, and both
// are replaced whole. NaN is a key like any other (a slot of its own), and -0 is stored as 0, as
// JavaScript's SameValueZero has it.

/** clear() and delete(), the same chain logic for both classes. */
const unlinking = (cls: "Map" | "Set"): string => `    function ${cls}.prototype.clear(self)
        if self.tail ~= nil then
            self.future = self.future or {}
            self.tail.next = self.future
        end
        self.nodes = {}
        self.head = nil
        self.tail = nil
        self.size = 0
    end
    function ${cls}.prototype.delete(self, key)
        local node = self.nodes[slot(key)]
        if node == nil then
            return false
        end
        self.nodes[slot(key)] = nil
        self.size = self.size - 1
        local previous = node.previous
        local next = node.next
        if previous ~= nil then
            previous.next = next
        else
            self.head = next
        end
        if next ~= nil then
            next.previous = previous
        else
            self.tail = previous
            self.future = self.future or {}
            node.next = self.future
        end
        return true
    end`;

/** Where a key's node is kept: NaN and undefined/null, which JavaScript's maps and sets take as
 * keys like any other, cannot index a Lua table ("table index is NaN", "… is nil"), so each has a
 * slot of its own. */
const SLOT = `    local nan_slot = {}
    local nil_slot = {}
    local function slot(key)
        if key == nil then
            return nil_slot
        end
        if key ~= key then
            return nan_slot
        end
        return key
    end
`;

/** An iterator over the live nodes, from the head; `value` makes what each step gives. */
const ITERATE = `    local function iterate(collection, value)
        local node
        local started = false
        return {
            [Symbol.iterator] = function(self)
                return self
            end,
            next = function(self)
                if not started then
                    started = true
                    node = collection.head
                elseif node ~= nil then
                    node = node.next
                end
                while node ~= nil and collection.nodes[slot(node.key)] ~= node do
                    node = node.next
                end
                if node == nil then
                    return {done = true}
                end
                return {done = false, value = value(node)}
            end
        }
    end
`;

const MAP = `local Map
do
${SLOT}    Map = __TS__Class()
    Map.name = "Map"
    function Map.prototype.____constructor(self, entries)
        self[Symbol.toStringTag] = "Map"
        self.nodes = {}
        self.size = 0
        if entries == nil then
            return
        end
        local iterable = entries
        if iterable[Symbol.iterator] then
            local iterator = iterable[Symbol.iterator](iterable)
            while true do
                local result = iterator:next()
                if result.done then
                    break
                end
                local value = result.value
                self:set(value[1], value[2])
            end
        else
            local array = entries
            for ____, kvp in ipairs(array) do
                self:set(kvp[1], kvp[2])
            end
        end
    end
${unlinking("Map")}
    function Map.prototype.forEach(self, callback)
        for ____, entry in __TS__Iterator(self:entries()) do
            callback(nil, entry[2], entry[1], self)
        end
    end
    function Map.prototype.get(self, key)
        local node = self.nodes[slot(key)]
        if node ~= nil then
            return node.value
        end
        return nil
    end
    function Map.prototype.has(self, key)
        return self.nodes[slot(key)] ~= nil
    end
    function Map.prototype.set(self, key, value)
        if key == 0 then
            key = 0
        end
        local node = self.nodes[slot(key)]
        if node ~= nil then
            node.value = value
            return self
        end
        node = {key = key, value = value, previous = self.tail}
        self.nodes[slot(key)] = node
        self.size = self.size + 1
        if self.tail ~= nil then
            self.tail.next = node
        else
            self.head = node
        end
        self.tail = node
        if self.future ~= nil then
            self.future.next = node
            self.future = nil
        end
        return self
    end
    Map.prototype[Symbol.iterator] = function(self)
        return self:entries()
    end
${ITERATE}    local function entry(node)
        -- [key, undefined] is a pair too (build/lualib-arrays.ts).
        if node.value == nil then return __NF_array_of(node.key, nil) end
        return {node.key, node.value}
    end
    local function key(node)
        return node.key
    end
    local function value(node)
        return node.value
    end
    function Map.prototype.entries(self)
        return iterate(self, entry)
    end
    function Map.prototype.keys(self)
        return iterate(self, key)
    end
    function Map.prototype.values(self)
        return iterate(self, value)
    end
    Map[Symbol.species] = Map
end
`;

const SET = `local Set
do
${SLOT}    Set = __TS__Class()
    Set.name = "Set"
    function Set.prototype.____constructor(self, values)
        self[Symbol.toStringTag] = "Set"
        self.nodes = {}
        self.size = 0
        if values == nil then
            return
        end
        local iterable = values
        if iterable[Symbol.iterator] then
            local iterator = iterable[Symbol.iterator](iterable)
            while true do
                local result = iterator:next()
                if result.done then
                    break
                end
                self:add(result.value)
            end
        else
            local array = values
            for ____, value in ipairs(array) do
                self:add(value)
            end
        end
    end
    function Set.prototype.add(self, value)
        if value == 0 then
            value = 0
        end
        if self.nodes[slot(value)] ~= nil then
            return self
        end
        local node = {key = value, previous = self.tail}
        self.nodes[slot(value)] = node
        self.size = self.size + 1
        if self.tail ~= nil then
            self.tail.next = node
        else
            self.head = node
        end
        self.tail = node
        if self.future ~= nil then
            self.future.next = node
            self.future = nil
        end
        return self
    end
${unlinking("Set")}
    function Set.prototype.forEach(self, callback)
        for ____, key in __TS__Iterator(self:keys()) do
            callback(nil, key, key, self)
        end
    end
    function Set.prototype.has(self, value)
        return self.nodes[slot(value)] ~= nil
    end
    Set.prototype[Symbol.iterator] = function(self)
        return self:values()
    end
${ITERATE}    local function pair(node)
        return {node.key, node.key}
    end
    local function key(node)
        return node.key
    end
    function Set.prototype.entries(self)
        return iterate(self, pair)
    end
    function Set.prototype.keys(self)
        return iterate(self, key)
    end
    function Set.prototype.values(self)
        return iterate(self, key)
    end
`;

/** The part of TypeScriptToLua's Set.lua kept as it is: the ES2025 set methods, which use only
 * the methods above. */
const SET_KEPT_FROM = "    function Set.prototype.union(self, other)\n";

/**
 * The inlined lualib with TypeScriptToLua's Map and Set blocks replaced. Throws when a block is
 * present but not in the shape this was written for (a TypeScriptToLua upgrade): the build must
 * not silently fall back to the loop that stops early.
 */
export function patchLualibCollections(code: string): string {
  let out = code.replace(/^local Map\ndo\n[\s\S]*?\nend\n/m, (block) => {
    if (!block.includes("    Map[Symbol.species] = Map\n") || !block.includes("self.nextKey[key] = nil")) throw new Error("unexpected lualib Map block");
    return MAP;
  });
  out = out.replace(/^local Set\ndo\n[\s\S]*?\nend\n/m, (block) => {
    const kept = block.indexOf(SET_KEPT_FROM);
    if (kept < 0 || !block.includes("self.nextKey[value] = nil") || !block.endsWith("    Set[Symbol.species] = Set\nend\n")) throw new Error("unexpected lualib Set block");
    return SET + block.slice(kept);
  });
  return out;
}
