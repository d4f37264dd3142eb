// Math.log, log1p, log2 and log10 as V8 computes them: helpers of build/js-helpers.ts (which
// inlines the ones a filter uses, with what they call).

export const LOG_HELPERS = {
  // Math.log, log1p, log2, log10 as V8 computes them (fdlibm's e_log.c, s_log1p.c, e_log10.c and
  // FreeBSD's e_log2.c), in plain arithmetic, so that every VM gives the same digits: math.frexp
  // stands for the bit fields. log(1 + x) and log(x) / log(base) differed from JavaScript in the
  // last digit for about a third (log1p), a fifth (log2) and over half (log10) of values; these
  // agreed with V8 for every one of 5 752 values checked on gopher-lua v1.1.1 and PUC 5.1.
  // __NF_k_log1p: fdlibm's k_log1p, log(1 + f) - f + f * f / 2 for f in [sqrt(2)/2 - 1, sqrt(2) - 1].
  __NF_k_log1p: {
    code: `local function __NF_k_log1p(f)
    local s = f / (2 + f)
    local z = s * s
    local w = z * z
    local t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01))
    local t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)))
    -- In fdlibm's order: R = t2 + t1 first (one ulp apart otherwise).
    local r = t2 + t1
    return s * (0.5 * f * f + r)
end`,
  },
  __NF_log1p: {
    code: `local function __NF_log1p(x)
    if type(x) ~= "number" then x = __NF_to_number(x) end
    if x ~= x then return x end
    local k, f, hu, c = 1, nil, nil, 0
    -- 0.4142136573791504: the double of high word 0x3FDA827A (1 + x below sqrt(2)).
    if x < 0.4142136573791504 then
        if x <= -1 then
            if x == -1 then return -1 / 0 end
            return 0 / 0
        end
        local ax = x < 0 and -x or x
        if ax < 1.862645149230957e-09 then
            if ax < 5.551115123125783e-17 then return x end
            return x - x * x * 0.5
        end
        -- 0.292893648147583: high word 0x3FD2BEC5 (1 + x from sqrt(2)/2 on).
        if x > 0 or -x < 0.292893648147583 then
            k, f, hu = 0, x, 1
        end
    end
    if x == 1 / 0 then return x end
    if k ~= 0 then
        local u
        if x < 9007199254740992 then
            u = 1 + x
            local _, e = math.frexp(u)
            k = e - 1
            if k > 0 then c = 1 - (u - x) else c = x - (u - 1) end
            c = c / u
        else
            u = x
            local _, e = math.frexp(u)
            k = e - 1
        end
        local m = math.frexp(u)
        -- u's top 20 bits of mantissa, against sqrt(2)'s.
        hu = math.floor((m * 2 - 1) * 1048576)
        if hu < 434334 then
            u = m * 2
        else
            k = k + 1
            u = m
            hu = math.floor((1048576 - hu) / 4)
        end
        f = u - 1
    end
    local hfsq = 0.5 * f * f
    if hu == 0 then
        if f == 0 then
            if k == 0 then return 0 end
            return k * 6.93147180369123816490e-01 + (c + k * 1.90821492927058770002e-10)
        end
        local r = hfsq * (1 - 0.66666666666666666 * f)
        if k == 0 then return f - r end
        return k * 6.93147180369123816490e-01 - ((r - (k * 1.90821492927058770002e-10 + c)) - f)
    end
    local s = f / (2 + f)
    local z = s * s
    local r = z * (6.666666666666735130e-01 + z * (3.999999999940941908e-01 + z * (2.857142874366239149e-01 + z * (2.222219843214978396e-01 +
        z * (1.818357216161805012e-01 + z * (1.531383769920937332e-01 + z * 1.479819860511658591e-01))))))
    if k == 0 then return f - (hfsq - s * (hfsq + r)) end
    return k * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + r) + (k * 1.90821492927058770002e-10 + c))) - f)
end`,
  },
  __NF_log2: {
    code: `local function __NF_log2(x)
    if type(x) ~= "number" then x = __NF_to_number(x) end
    if x ~= x or x < 0 then return 0 / 0 end
    if x == 0 then return -1 / 0 end
    if x == 1 / 0 or x == 1 then return x == 1 and 0 or x end
    local m, e = math.frexp(x)
    local xp, k = m * 2, e - 1
    -- Normalized to [sqrt(2)/2, sqrt(2)): 0x95f64 added to the top 20 bits of mantissa carries.
    if math.floor((xp - 1) * 1048576) + 614244 >= 1048576 then
        xp = xp / 2
        k = k + 1
    end
    local f = xp - 1
    local hfsq = 0.5 * f * f
    local r = __NF_k_log1p(f)
    -- f - hfsq with the low 32 bits of its 64 cleared: 21 significant bits.
    local hi = f - hfsq
    if hi ~= 0 then
        local hm, he = math.frexp(hi)
        local a = hm < 0 and -hm or hm
        a = math.floor(a * 2097152) / 2097152
        if hm < 0 then a = -a end
        hi = math.ldexp(a, he)
    end
    local lo = (f - hi) - hfsq + r
    local val_hi = hi * 1.44269504072144627571e+00
    local val_lo = (lo + hi) * 1.67517131648865118353e-10 + lo * 1.44269504072144627571e+00
    local w = k + val_hi
    val_lo = val_lo + ((k - w) + val_hi)
    return val_lo + w
end`,
  },
  // Math.log: fdlibm's e_log.c, as V8 (gopher's Go log and C libraries can differ in the last digit).
  __NF_log: {
    code: `local function __NF_log(x)
    if type(x) ~= "number" then x = __NF_to_number(x) end
    if x ~= x or x < 0 then return 0 / 0 end
    if x == 0 then return -1 / 0 end
    if x == 1 / 0 then return x end
    local m, e = math.frexp(x)
    local xp, k = m * 2, e - 1
    local hx = math.floor((xp - 1) * 1048576)
    if hx + 614244 >= 1048576 then
        xp = xp / 2
        k = k + 1
    end
    local f = xp - 1
    -- f within 2^-20 of 0.
    if hx == 0 or hx >= 1048574 then
        if f == 0 then
            if k == 0 then return 0 end
            return k * 6.93147180369123816490e-01 + k * 1.90821492927058770002e-10
        end
        local r = f * f * (0.5 - 0.33333333333333333 * f)
        if k == 0 then return f - r end
        return k * 6.93147180369123816490e-01 - ((r - k * 1.90821492927058770002e-10) - f)
    end
    local s = f / (2 + f)
    local z = s * s
    local w = z * z
    local t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01))
    local t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)))
    local r = t2 + t1
    if hx >= 398458 and hx <= 440401 then
        local hfsq = 0.5 * f * f
        if k == 0 then return f - (hfsq - s * (hfsq + r)) end
        return k * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + r) + k * 1.90821492927058770002e-10)) - f)
    end
    if k == 0 then return f - s * (f - r) end
    return k * 6.93147180369123816490e-01 - ((s * (f - r) - k * 1.90821492927058770002e-10) - f)
end`,
  },
  __NF_log10: {
    code: `local function __NF_log10(x)
    if type(x) ~= "number" then x = __NF_to_number(x) end
    if x ~= x or x < 0 then return 0 / 0 end
    if x == 0 then return -1 / 0 end
    if x == 1 / 0 then return x end
    local m, e = math.frexp(x)
    -- x = x' * 2^y with x' in [1, 2), or in [0.5, 1) for a negative exponent.
    local xp, y = m * 2, e - 1
    if y < 0 then
        xp, y = m, e
    end
    local z = y * 3.69423907715893078616e-13 + 4.34294481903251816668e-01 * __NF_log(xp)
    return z + y * 3.01029995663611771306e-01
end`,
  },
} as const satisfies Record<string, { code: string }>;
