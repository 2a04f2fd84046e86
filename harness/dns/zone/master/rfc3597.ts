import { formatIpv6 } from './numbers.ts';
import { DS_DIGEST_LENGTH, SSHFP_LENGTH, checkDigestLength, sortTypes, utf8Text } from './rdata.ts';
import { FieldError, labelToText, lowerName } from './text.ts';
import { typeName } from './types.ts';

/**
 * RFC 3597 `\# <len> <hex>` RDATA for a type this server understands, decoded from wire form
 * into the same data the text reader gives (as BIND converts it). Names must be uncompressed
 * (RFC 3597 section 4 forbids compression in unknown-type RDATA anyway).
 */
export function decodeKnownRdata(type: string, b: Buffer): unknown {
  const r = new WireReader(b, type);
  const data = decode(type, r);
  r.end();
  return data;
}

function decode(type: string, r: WireReader): unknown {
  switch (type) {
    case 'A': return r.bytes(4).join('.');
    case 'AAAA': {
      const w: number[] = [];
      for (let i = 0; i < 8; i++) w.push(r.u16());
      return formatIpv6(w);
    }
    case 'NS': case 'CNAME': case 'DNAME': return lowerName(r.name());
    case 'PTR': return r.name();
    case 'SOA': return {
      mname: lowerName(r.name()), rname: lowerName(r.name()),
      serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32(),
    };
    case 'MX': return { preference: r.u16(), exchange: lowerName(r.name()) };
    case 'TXT': case 'SPF': {
      const out: Buffer[] = [r.charString()];
      while (!r.done()) out.push(r.charString());
      return out;
    }
    case 'SRV': return { priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
    case 'CAA': {
      const flags = r.u8();
      const tag = r.charString().toString('latin1');
      if (!/^[A-Za-z0-9]+$/.test(tag)) throw new FieldError(`bad CAA tag "${tag}" in \\# data`);
      return { flags, tag, value: utf8Text(r.rest(), 'CAA value'), issuerCritical: (flags & 128) !== 0 };
    }
    case 'NAPTR': return {
      order: r.u16(), preference: r.u16(),
      flags: utf8Text(r.charString(), 'NAPTR flags'), services: utf8Text(r.charString(), 'NAPTR services'),
      regexp: utf8Text(r.charString(), 'NAPTR regexp'), replacement: r.name(),
    };
    case 'SSHFP': {
      const algorithm = r.u8();
      const hash = r.u8();
      const fp = r.rest();
      checkDigestLength(SSHFP_LENGTH, hash, fp.length, 'SSHFP fingerprint');
      return { algorithm, hash, fingerprint: fp.toString('hex').toUpperCase() };
    }
    case 'TLSA': return { usage: r.u8(), selector: r.u8(), matchingType: r.u8(), certificate: r.rest() };
    case 'DS': {
      const keyTag = r.u16();
      const algorithm = r.u8();
      const digestType = r.u8();
      const digest = r.rest();
      checkDigestLength(DS_DIGEST_LENGTH, digestType, digest.length, 'DS digest');
      return { keyTag, algorithm, digestType, digest };
    }
    case 'DNSKEY': {
      const flags = r.u16();
      const protocol = r.u8();
      if (protocol !== 3) throw new FieldError(`bad DNSKEY protocol ${protocol}: must be 3 (RFC 4034)`);
      return { flags, algorithm: r.u8(), key: r.rest() };
    }
    case 'RRSIG': return {
      typeCovered: typeName(r.u16()), algorithm: r.u8(), labels: r.u8(), originalTTL: r.u32(),
      expiration: r.u32(), inception: r.u32(), keyTag: r.u16(), signersName: r.name(), signature: r.rest(),
    };
    case 'NSEC': return { nextDomain: r.name(), rrtypes: sortTypes(r.typeBitmap()) };
    default: throw new Error(`no wire decoder for ${type}`);
  }
}

class WireReader {
  private pos = 0;
  constructor(
    private readonly b: Buffer,
    private readonly type: string,
  ) {}

  private need(n: number): void {
    if (this.pos + n > this.b.length) {
      throw new FieldError(`\\# data too short for a ${this.type} record`, `check the ${this.type} wire format`);
    }
  }

  done(): boolean {
    return this.pos >= this.b.length;
  }

  end(): void {
    if (!this.done()) throw new FieldError(`\\# data has ${this.b.length - this.pos} bytes left over after the ${this.type} record`);
  }

  u8(): number {
    this.need(1);
    return this.b[this.pos++] ?? 0;
  }

  u16(): number {
    this.need(2);
    const v = this.b.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return Buffer.from(v);
  }

  rest(): Buffer {
    return this.bytes(this.b.length - this.pos);
  }

  charString(): Buffer {
    return this.bytes(this.u8());
  }

  name(): string {
    let text = '';
    let wire = 1;
    for (;;) {
      const len = this.u8();
      if (len === 0) break;
      if (len > 63) throw new FieldError(`\\# data holds a compressed or invalid name in a ${this.type} record`, 'write names uncompressed');
      const label = this.bytes(len);
      text += `${labelToText(label)}.`;
      wire += len + 1;
    }
    if (wire > 255) throw new FieldError(`\\# data holds a name longer than 255 bytes`);
    return text === '' ? '.' : text;
  }

  typeBitmap(): number[] {
    const out: number[] = [];
    let lastWindow = -1;
    while (!this.done()) {
      const win = this.u8();
      const len = this.u8();
      if (win <= lastWindow || len < 1 || len > 32) throw new FieldError('\\# data holds a bad NSEC type bitmap');
      lastWindow = win;
      const bits = this.bytes(len);
      for (let i = 0; i < len; i++) {
        const byte = bits[i] ?? 0;
        for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) out.push(win * 256 + i * 8 + bit);
      }
    }
    return out;
  }
}
