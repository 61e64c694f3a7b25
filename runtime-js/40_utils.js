// 40_utils.js: the platform's global utilities.
(function (ops, vox) {
  'use strict';
  const {
    op_util_str2bytes,
    op_util_bytes2str,
    op_util_base64_encode,
    op_util_base64_decode,
    op_util_levenshtein,
  } = ops;

  function encoding(enc) {
    return enc === undefined || enc === null ? 'utf-8' : String(enc);
  }

  vox.define('base64_encode', function base64_encode(data) {
    return op_util_base64_encode(typeof data === 'string' ? op_util_str2bytes(data, 'utf-8') : data);
  });
  vox.define('base64_decode', function base64_decode(s) {
    return op_util_base64_decode(String(s));
  });
  vox.define('str2bytes', function str2bytes(s, enc) {
    return op_util_str2bytes(String(s), encoding(enc));
  });
  vox.define('bytes2str', function bytes2str(bytes, enc) {
    return op_util_bytes2str(bytes, encoding(enc));
  });
  vox.define('bytes2hex', function bytes2hex(bytes, upper) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      const h = (Number(bytes[i]) & 255).toString(16);
      out += h.length === 1 ? '0' + h : h;
    }
    return upper ? out.toUpperCase() : out;
  });
  vox.define('hex2bytes', function hex2bytes(s) {
    const str = String(s);
    if (str.length % 2 !== 0 || /[^0-9a-fA-F]/.test(str)) throw new TypeError('hex2bytes: not a hex string');
    const out = [];
    for (let i = 0; i < str.length; i += 2) out.push(parseInt(str.slice(i, i + 2), 16));
    return out;
  });
  vox.define('levenshtein_distance', function levenshtein_distance(a, b) {
    return op_util_levenshtein(String(a), String(b));
  });

  // Offset in minutes east of UTC: a number of hours, or 'UTC', '+03:00', '-0530',
  // 'GMT+3', 'UTC-05:30'. voxrun has no time-zone database: region names throw.
  function offsetMinutes(tz) {
    if (tz === undefined || tz === null) return 0;
    if (typeof tz === 'number' && isFinite(tz)) return Math.round(tz * 60);
    const s = String(tz).trim().toUpperCase();
    if (s === '' || s === 'UTC' || s === 'GMT' || s === 'Z') return 0;
    const m = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(s);
    if (!m) throw new RangeError('getLocalTime: unsupported time zone ' + String(tz) + ' (use an offset such as +03:00)');
    const minutes = Number(m[2]) * 60 + Number(m[3] || 0);
    return m[1] === '-' ? -minutes : minutes;
  }

  // A Date whose UTC fields show the wall-clock time at offset `tz` at `date` (default: now).
  vox.define('getLocalTime', function getLocalTime(tz, date) {
    const base = date === undefined ? Date.now() : new Date(date).getTime();
    return new Date(base + offsetMinutes(tz) * 60000);
  });

})
