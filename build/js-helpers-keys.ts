// Keys holding undefined: helpers of build/js-helpers.ts, used by the filter's code
// (build/undefined-keys.ts) and the lualib (build/lualib-objects.ts).

export const UNDEFINED_KEY_HELPERS = {
  // An object's own keys whose value is undefined: JavaScript keeps `{ k: undefined }`'s key, a
  // Lua table has no key whose value is nil. For each object that ever held one (the build stores
  // undefined through __NF_store_undefined), the object's own keys in JavaScript's order: `order`
  // (a deleted key leaves false behind, skipped, and the list is compacted when they are most of
  // it) and `has` (key → its place in `order`). Weak on PUC Lua and the runtime; gopher-lua
  // ignores __mode, so there a record lives as long as the request (docs/typescript-on-production.md
  // "Limits"). Shared by the filters of a request, as __NF_array_lengths.
  __NF_undefined_keys: {
    code: `local __NF_undefined_keys = __NF_request_table("__NF_undefined_keys")`,
  },
  // obj's record, up to date: the keys set since it was last brought up to date are appended, in
  // pairs() order (on gopher and the runtime the order they were first set). A key leaves the
  // record only through delete (the lualib's __TS__Delete calls __NF_delete_key).
  __NF_own_record: {
    code: `local function __NF_own_record(obj)
    local rec = __NF_undefined_keys[obj]
    if rec == nil then
        rec = {order = {}, has = {}}
        __NF_undefined_keys[obj] = rec
    end
    local order, has = rec.order, rec.has
    for key in pairs(obj) do
        if has[key] == nil then
            order[#order + 1] = key
            has[key] = #order
        end
    end
    return rec
end`,
  },
  // obj[key] = undefined: the key stays (or becomes, last) an own key of obj. A key with an
  // accessor (a class's get/set, TypeScriptToLua's descriptors, inherited too) gets none: the
  // setter runs, and JavaScript creates no own key either.
  __NF_store_undefined: {
    code: `local function __NF_store_undefined(obj, key)
    local rec = __NF_undefined_keys[obj]
    if rec ~= nil and rec.has[key] ~= nil then
        obj[key] = nil
        return
    end
    local mt = getmetatable(obj)
    while type(mt) == "table" do
        local descriptors = rawget(mt, "_descriptors")
        if descriptors ~= nil and descriptors[key] ~= nil then
            obj[key] = nil
            return
        end
        mt = getmetatable(mt)
    end
    if type(obj) == "table" then
        rec = __NF_own_record(obj)
        if rec.has[key] == nil then
            rec.order[#rec.order + 1] = key
            rec.has[key] = #rec.order
        end
    end
    obj[key] = nil
end`,
  },
  // obj[key] = value, for a value that may be undefined.
  __NF_store: {
    code: `local function __NF_store(obj, key, value)
    if value == nil then
        __NF_store_undefined(obj, key)
    else
        obj[key] = value
    end
end`,
  },
  __NF_delete_key: {
    code: `local function __NF_delete_key(obj, key)
    local rec = __NF_undefined_keys[obj]
    if rec == nil then return end
    local at = rec.has[key]
    if at == nil then return end
    rec.has[key] = nil
    rec.order[at] = false
    rec.dead = (rec.dead or 0) + 1
    if rec.dead > 8 and rec.dead * 2 > #rec.order then
        local order, n = {}, 0
        for _, k in ipairs(rec.order) do
            if k ~= false then
                n = n + 1
                order[n] = k
                rec.has[k] = n
            end
        end
        rec.order, rec.dead = order, 0
    end
end`,
  },
  // An object literal whose values that may be undefined the build marked (__NF_present): each
  // marked absent is an own key whose value is undefined, in its place among the literal's keys.
  __NF_object: {
    code: `local function __NF_object(obj)
    for _, value in pairs(obj) do
        if value == __NF_absent then
            __NF_own_record(obj)
            for key, v in pairs(obj) do
                if v == __NF_absent then obj[key] = nil end
            end
            return obj
        end
    end
    return obj
end`,
  },
  // `key in obj`: a key holding undefined is in obj.
  __NF_in: {
    code: `local function __NF_in(key, obj)
    if obj[key] ~= nil then return true end
    local rec = __NF_undefined_keys[obj]
    return rec ~= nil and rec.has[key] ~= nil
end`,
  },
} as const satisfies Record<string, { code: string }>;
