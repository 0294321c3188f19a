// X data archives made for tests, in X's shape (data/manifest.js, account.js,
// follower.js, following.js), zipped with a small writer of our own (deflate from
// node's zlib, CRC-32 from a table).
import zlib from 'node:zlib';

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** `files` maps a name to its text, or to `{ packed, size, crc }` already deflated. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const given = typeof content === 'object' && !Buffer.isBuffer(content) ? content : null;
    const data = given ? null : Buffer.from(content);
    const packed = given ? given.packed : zlib.deflateRawSync(data);
    const size = given ? given.size : data.length;
    const nameBuf = Buffer.from(name);
    const crc = given ? given.crc : crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + packed.length;
  }
  const centralSize = centrals.reduce((a, b) => a + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = Object.keys(files).length;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** An archive of `viewer` dated `date`, with these follower and following ids. */
export function archive({ viewer, handle, date, followers, following }) {
  const list = (kind, ids) =>
    `window.YTD.${kind}.part0 = ` +
    JSON.stringify(ids.map((id) => ({ [kind]: { accountId: String(id), userLink: `https://twitter.com/intent/user?user_id=${id}` } })));
  const manifest = {
    userInfo: { accountId: viewer, userName: handle, displayName: handle },
    archiveInfo: { sizeBytes: '1', generationDate: date, isPartialArchive: false },
    dataTypes: {
      follower: { files: [{ fileName: 'data/follower.js', globalName: 'YTD.follower.part0', count: String(followers.length) }] },
      following: { files: [{ fileName: 'data/following.js', globalName: 'YTD.following.part0', count: String(following.length) }] },
    },
  };
  return zip({
    'data/manifest.js': `window.__THAR_CONFIG = ${JSON.stringify(manifest)}`,
    'data/account.js': `window.YTD.account.part0 = ${JSON.stringify([{ account: { username: handle, accountId: viewer, accountDisplayName: handle } }])}`,
    'data/follower.js': list('follower', followers),
    'data/following.js': list('following', following),
  });
}

/** A zip bomb: an archive whose follower.js is 300 MB of spaces packed into a few
 * hundred kilobytes (its CRC is never checked: the reader refuses it by the size
 * the zip declares, before inflating anything). */
export function zipBomb({ viewer, date }) {
  const size = 300 * 1024 * 1024;
  const packed = zlib.deflateRawSync(Buffer.alloc(size, 0x20), { level: 9 });
  const manifest = {
    userInfo: { accountId: viewer, userName: 'bomb' },
    archiveInfo: { generationDate: date, isPartialArchive: false },
    dataTypes: { follower: { files: [{ fileName: 'data/follower.js', count: '1' }] } },
  };
  return zip({
    'data/manifest.js': `window.__THAR_CONFIG = ${JSON.stringify(manifest)}`,
    'data/follower.js': { packed, size, crc: 0 },
  });
}

/** n distinct X-like ids from a seed. */
export function ids(n, seed) {
  const out = [];
  let s = BigInt(seed) | 1n;
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i < n; i++) {
    s ^= (s << 13n) & mask;
    s ^= s >> 7n;
    s ^= (s << 17n) & mask;
    out.push(String((s >> 4n) | (1n << 59n)));
  }
  return out;
}
