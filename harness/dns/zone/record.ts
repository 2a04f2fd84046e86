/**
 * A resource record as the subject stores and serves it.
 *
 * `data` uses the same shapes as dns-packet's RDATA objects, so the wire adapter passes
 * them through unchanged; only `harness/dns/wire/` imports dns-packet itself.
 * Names are absolute, lower-case where CoreDNS lower-cases them, with a trailing dot
 * (`www.example.org.`); the wire adapter strips the dot for dns-packet.
 */

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface MxData { preference: number; exchange: string }
export interface SrvData { priority: number; weight: number; port: number; target: string }
export interface CaaData { flags: number; tag: string; value: string; issuerCritical?: boolean }
export interface NaptrData { order: number; preference: number; flags: string; services: string; regexp: string; replacement: string }
export interface SshfpData { algorithm: number; hash: number; fingerprint: string }
export interface TlsaData { usage: number; selector: number; matchingType: number; certificate: Buffer }
export interface DsData { keyTag: number; algorithm: number; digestType: number; digest: Buffer }
export interface DnskeyData { flags: number; algorithm: number; key: Buffer }
export interface RrsigData {
  typeCovered: string; algorithm: number; labels: number; originalTTL: number;
  expiration: number; inception: number; keyTag: number; signersName: string; signature: Buffer;
}
export interface NsecData { nextDomain: string; rrtypes: string[] }

/** Record data by type. Unknown types (RFC 3597 `\#`) carry their raw bytes. */
export type RecordData =
  | { type: 'A'; data: string }
  | { type: 'AAAA'; data: string }
  | { type: 'NS'; data: string }
  | { type: 'CNAME'; data: string }
  | { type: 'DNAME'; data: string }
  | { type: 'PTR'; data: string }
  | { type: 'SOA'; data: SoaData }
  | { type: 'MX'; data: MxData }
  | { type: 'TXT'; data: Buffer[] }
  | { type: 'SPF'; data: Buffer[] }
  | { type: 'SRV'; data: SrvData }
  | { type: 'CAA'; data: CaaData }
  | { type: 'NAPTR'; data: NaptrData }
  | { type: 'SSHFP'; data: SshfpData }
  | { type: 'TLSA'; data: TlsaData }
  | { type: 'DS'; data: DsData }
  | { type: 'DNSKEY'; data: DnskeyData }
  | { type: 'RRSIG'; data: RrsigData }
  | { type: 'NSEC'; data: NsecData }
  | { type: `TYPE${number}`; data: Buffer };

export type RecordType = RecordData['type'];

export type ResourceRecord = RecordData & {
  /** Absolute owner name with trailing dot. */
  name: string;
  ttl: number;
  class: 'IN';
};
