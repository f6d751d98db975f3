/**
 * One hub's membership state: connections, groups, users, and user-group links. A user added to a
 * group stays in it (later connections of that user join too) until removed, as in the service.
 */
import type { ClientConnection } from './client-connection.js';
import type { OutboundMessage } from './message-frames.js';
import type { ConnectionFilter } from './odata-filter.js';

export interface Audience {
  readonly excluded?: ReadonlySet<string> | undefined;
  readonly filter?: ConnectionFilter | undefined;
}

export class Hub {
  readonly connections = new Map<string, ClientConnection>();
  private readonly groups = new Map<string, Set<ClientConnection>>();
  private readonly users = new Map<string, Set<ClientConnection>>();
  private readonly userGroups = new Map<string, Set<string>>();

  constructor(readonly name: string) {}

  get groupCount(): number {
    return this.groups.size;
  }

  add(connection: ClientConnection, initialGroups: readonly string[]): void {
    this.connections.set(connection.connectionId, connection);
    if (connection.userId !== undefined) {
      addTo(this.users, connection.userId, connection);
      for (const group of this.userGroups.get(connection.userId) ?? []) this.join(connection, group);
    }
    for (const group of initialGroups) this.join(connection, group);
  }

  remove(connection: ClientConnection): void {
    if (!this.connections.delete(connection.connectionId)) return;
    connection.removed = true;
    for (const group of connection.groups) deleteFrom(this.groups, group, connection);
    connection.groups.clear();
    if (connection.userId !== undefined) deleteFrom(this.users, connection.userId, connection);
  }

  join(connection: ClientConnection, group: string): void {
    if (connection.groups.has(group)) return;
    connection.groups.add(group);
    addTo(this.groups, group, connection);
  }

  leave(connection: ClientConnection, group: string): void {
    if (!connection.groups.delete(group)) return;
    deleteFrom(this.groups, group, connection);
  }

  leaveAll(connection: ClientConnection): void {
    for (const group of [...connection.groups]) this.leave(connection, group);
  }

  groupExists(group: string): boolean {
    return this.groups.has(group);
  }

  userExists(userId: string): boolean {
    return this.users.has(userId);
  }

  groupMembers(group: string): readonly ClientConnection[] {
    return [...(this.groups.get(group) ?? [])];
  }

  userConnections(userId: string): readonly ClientConnection[] {
    return [...(this.users.get(userId) ?? [])];
  }

  addUserToGroup(userId: string, group: string): void {
    addTo(this.userGroups, userId, group);
    for (const c of this.users.get(userId) ?? []) this.join(c, group);
  }

  removeUserFromGroup(userId: string, group: string): void {
    deleteFrom(this.userGroups, userId, group);
    for (const c of this.users.get(userId) ?? []) this.leave(c, group);
  }

  removeUserFromAllGroups(userId: string): void {
    this.userGroups.delete(userId);
    for (const c of this.users.get(userId) ?? []) this.leaveAll(c);
  }

  /** Delivers to every connection in the hub that passes the audience; returns the count. */
  sendToAll(message: OutboundMessage, audience: Audience = {}): number {
    return deliverTo(this.connections.values(), message, audience);
  }

  sendToGroup(group: string, message: OutboundMessage, audience: Audience = {}): number {
    const members = this.groups.get(group);
    return members ? deliverTo(members, message, audience) : 0;
  }

  sendToUser(userId: string, message: OutboundMessage, audience: Audience = {}): number {
    const connections = this.users.get(userId);
    return connections ? deliverTo(connections, message, audience) : 0;
  }

  /** Connections passing the filter (all when none). */
  select(audience: Audience): ClientConnection[] {
    return [...this.connections.values()].filter((c) => passes(c, audience));
  }
}

function deliverTo(targets: Iterable<ClientConnection>, message: OutboundMessage, audience: Audience): number {
  let count = 0;
  // Live iteration is safe: a connection removed mid-loop (overflow) is simply skipped.
  for (const connection of targets) {
    if (audience.excluded !== undefined || audience.filter !== undefined) {
      if (!passes(connection, audience)) continue;
    }
    connection.deliver(message);
    count++;
  }
  return count;
}

function passes(connection: ClientConnection, audience: Audience): boolean {
  if (audience.excluded?.has(connection.connectionId)) return false;
  return audience.filter ? audience.filter(connection) : true;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function deleteFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
