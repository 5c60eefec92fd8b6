// Pod IPs from one /16 (default 10.245.0.0/16). `hack/process-node.sh up` makes the whole range local on
// this machine (`ip route add local 10.245.0.0/16 dev lo table local`: any address in it can be bound and
// reached, like 127/8, without configuring interfaces); loopback addresses themselves cannot be pod IPs,
// because the API server rejects them in EndpointSlices ("may not be in the loopback range").

export class AddressPool {
  private readonly prefix: string;
  private readonly used = new Map<string, string>(); // owner -> ip
  private readonly owners = new Map<string, string>(); // ip -> owner
  private next = 0;

  /** cidr: an a.b.0.0/16 range. */
  constructor(cidr: string) {
    const m = /^(\d+\.\d+)\.0\.0\/16$/.exec(cidr);
    if (!m) throw new Error(`pod CIDR "${cidr}" must be an a.b.0.0/16 range (e.g. 10.245.0.0/16)`);
    this.prefix = m[1] as string;
  }

  private ipAt(i: number): string {
    return `${this.prefix}.${Math.floor(i / 254)}.${(i % 254) + 1}`;
  }

  contains(ip: string): boolean {
    return ip.startsWith(`${this.prefix}.`);
  }

  /** Keeps `ip` for `owner` if it is in this range and free (re-adopting pods after a restart). */
  claim(owner: string, ip: string): boolean {
    if (!this.contains(ip) || this.owners.has(ip)) return false;
    this.used.set(owner, ip);
    this.owners.set(ip, owner);
    return true;
  }

  allocate(owner: string): string {
    const have = this.used.get(owner);
    if (have !== undefined) return have;
    const size = 256 * 254;
    for (let n = 0; n < size; n++) {
      const ip = this.ipAt((this.next + n) % size);
      if (!this.owners.has(ip)) {
        this.next = (this.next + n + 1) % size;
        this.used.set(owner, ip);
        this.owners.set(ip, owner);
        return ip;
      }
    }
    throw new Error(`pod range ${this.prefix}.0.0/16 is exhausted`);
  }

  release(owner: string): void {
    const ip = this.used.get(owner);
    if (ip === undefined) return;
    this.used.delete(owner);
    this.owners.delete(ip);
  }
}
