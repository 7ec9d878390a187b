// In-process binding store (one instance only): an open-addressing hash table in one Buffer, 40 bytes a binding
// (16-byte token key digest, 16-byte session digest, 8-byte end time), so a million live bindings fit in ~80 MB where a
// JavaScript Map of strings needs 300+ MB. Expired slots are reused in place and dropped when the table is rebuilt;
// when it is full of live bindings it fails closed (evicting a live binding would re-open replay).
import { DIGEST_BYTES, StoreUnavailableError, type Binding, type BindingStore } from './store';

const SLOT_BYTES = 2 * DIGEST_BYTES + 8;
const SESSION_OFFSET = DIGEST_BYTES;
const EXPIRY_OFFSET = 2 * DIGEST_BYTES;
const MAX_LOAD = 0.7;
const MIN_SLOTS = 1024;

function digestBytes(value: string, what: string): Buffer {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== DIGEST_BYTES) throw new Error(`${what} must be a ${DIGEST_BYTES}-byte base64url digest`);
  return bytes;
}

export class MemoryBindingStore implements BindingStore {
  readonly kind = 'memory';
  private table: Buffer;
  private slots: number;
  /** Slots holding a binding, live or expired (expired ones keep probe chains intact until a rebuild). */
  private occupied = 0;
  /** When the last rebuild found the table full: no rebuild can help before the earliest binding ends. */
  private fullUntilMs = 0;

  constructor(private readonly maxEntries: number) {
    this.slots = MIN_SLOTS;
    this.table = Buffer.alloc(this.slots * SLOT_BYTES);
  }

  /** Slots in use: live bindings plus expired ones not yet reclaimed (exactly the live ones after a rebuild). */
  get size(): number {
    return this.occupied;
  }

  async get(tokenKey: string, nowMs: number): Promise<Binding | null> {
    const key = digestBytes(tokenKey, 'token key');
    const slot = this.find(key, nowMs).slot;
    if (slot < 0) return null;
    const binding = this.read(slot);
    return binding.expiresAtMs > nowMs ? binding : null;
  }

  async bindIfAbsent(
    tokenKey: string,
    binding: Binding,
    nowMs: number,
  ): Promise<{ created: boolean; binding: Binding }> {
    const key = digestBytes(tokenKey, 'token key');
    const session = digestBytes(binding.sessionDigest, 'session digest');
    const found = this.find(key, nowMs);
    const slot = found.slot;
    let free = found.free;
    if (slot >= 0) {
      const existing = this.read(slot);
      if (existing.expiresAtMs > nowMs) return { created: false, binding: existing };
      this.write(slot, key, session, binding.expiresAtMs); // same token, binding over: reuse its slot
      return { created: true, binding };
    }
    const takesEmptySlot = free < 0 || this.table.readDoubleLE(free * SLOT_BYTES + EXPIRY_OFFSET) === 0;
    if (takesEmptySlot && (this.occupied + 1 > this.slots * MAX_LOAD || this.occupied >= this.maxEntries)) {
      this.rebuild(nowMs);
      free = this.find(key, nowMs).free;
    }
    if (free < 0) throw new StoreUnavailableError('the in-process binding store is full');
    if (this.table.readDoubleLE(free * SLOT_BYTES + EXPIRY_OFFSET) === 0) this.occupied++;
    this.write(free, key, session, binding.expiresAtMs);
    return { created: true, binding };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.table = Buffer.alloc(0);
    this.slots = 0;
  }

  /** The slot holding `key` (or -1), and the first slot a new binding may take on its probe path (or -1). */
  private find(key: Buffer, nowMs: number): { slot: number; free: number } {
    if (this.slots === 0) return { slot: -1, free: -1 };
    const mask = this.slots - 1;
    let index = key.readUInt32LE(0) & mask;
    let free = -1;
    for (let probes = 0; probes < this.slots; probes++, index = (index + 1) & mask) {
      const offset = index * SLOT_BYTES;
      const expiresAtMs = this.table.readDoubleLE(offset + EXPIRY_OFFSET);
      if (expiresAtMs === 0) return { slot: -1, free: free >= 0 ? free : index };
      if (this.table.compare(key, 0, DIGEST_BYTES, offset, offset + DIGEST_BYTES) === 0) return { slot: index, free };
      if (free < 0 && expiresAtMs <= nowMs) free = index;
    }
    return { slot: -1, free };
  }

  /** Drops expired bindings and resizes; refuses (fails closed) when live bindings alone reach the bound. */
  private rebuild(nowMs: number): void {
    if (nowMs < this.fullUntilMs)
      throw new StoreUnavailableError('the in-process binding store is full of live bindings');
    const old = this.table;
    const oldSlots = this.slots;
    let live = 0;
    let earliest = Infinity;
    for (let i = 0; i < oldSlots; i++) {
      const expiresAtMs = old.readDoubleLE(i * SLOT_BYTES + EXPIRY_OFFSET);
      if (expiresAtMs > nowMs) {
        live++;
        earliest = Math.min(earliest, expiresAtMs);
      }
    }
    if (live >= this.maxEntries) {
      this.fullUntilMs = earliest;
      throw new StoreUnavailableError('the in-process binding store is full of live bindings');
    }
    let slots = MIN_SLOTS;
    while (slots * MAX_LOAD < Math.min(Math.max(live * 2, live + 1), this.maxEntries + 1)) slots *= 2;
    this.table = Buffer.alloc(slots * SLOT_BYTES);
    this.slots = slots;
    this.occupied = 0;
    for (let i = 0; i < oldSlots; i++) {
      const offset = i * SLOT_BYTES;
      const expiresAtMs = old.readDoubleLE(offset + EXPIRY_OFFSET);
      if (expiresAtMs <= nowMs) continue;
      const key = old.subarray(offset, offset + DIGEST_BYTES);
      const { free } = this.find(key, nowMs);
      this.write(free, key, old.subarray(offset + SESSION_OFFSET, offset + EXPIRY_OFFSET), expiresAtMs);
      this.occupied++;
    }
  }

  private read(slot: number): Binding {
    const offset = slot * SLOT_BYTES;
    return {
      sessionDigest: this.table.toString('base64url', offset + SESSION_OFFSET, offset + EXPIRY_OFFSET),
      expiresAtMs: this.table.readDoubleLE(offset + EXPIRY_OFFSET),
    };
  }

  private write(slot: number, key: Buffer, session: Buffer, expiresAtMs: number): void {
    const offset = slot * SLOT_BYTES;
    key.copy(this.table, offset, 0, DIGEST_BYTES);
    session.copy(this.table, offset + SESSION_OFFSET, 0, DIGEST_BYTES);
    this.table.writeDoubleLE(expiresAtMs, offset + EXPIRY_OFFSET);
  }
}
