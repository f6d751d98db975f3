/**
 * What one client connection may do with groups, from its token roles and later REST grants:
 *
 * | role | allows |
 * |---|---|
 * | `webpubsub.joinLeaveGroup` / `webpubsub.sendToGroup` | any group |
 * | `webpubsub.joinLeaveGroup.<group>` / `webpubsub.sendToGroup.<group>` | exactly `<group>` (no wildcards: `tenant.A.*` is a literal name) |
 * | `webpubsub.joinLeaveGroups.<pattern>` / `webpubsub.sendToGroups.<pattern>` | groups matching the wildcard pattern (see group-pattern.ts) |
 *
 * Unknown roles grant nothing. REST grant/revoke (`PUT|DELETE /permissions/{p}/connections/{c}`)
 * add or remove an "any group" or exact-group entry, the same entries the literal roles create.
 */
import { compileGroupPattern } from './group-pattern.js';

export type GroupPermission = 'joinLeaveGroup' | 'sendToGroup';
export const GROUP_PERMISSIONS: readonly GroupPermission[] = ['joinLeaveGroup', 'sendToGroup'];

export const isGroupPermission = (value: string): value is GroupPermission => value === 'joinLeaveGroup' || value === 'sendToGroup';

interface PermissionEntries {
  anyGroup: boolean;
  readonly groups: Set<string>;
  readonly patterns: { readonly source: string; readonly regex: RegExp }[];
}

export class ClientPermissions {
  private readonly entries: Record<GroupPermission, PermissionEntries> = {
    joinLeaveGroup: { anyGroup: false, groups: new Set(), patterns: [] },
    sendToGroup: { anyGroup: false, groups: new Set(), patterns: [] },
  };

  /** Builds permissions from token roles; `onIgnoredRole` hears about malformed pattern roles. */
  static fromRoles(roles: readonly string[], onIgnoredRole?: (role: string, reason: string) => void): ClientPermissions {
    const permissions = new ClientPermissions();
    for (const role of roles) {
      const problem = permissions.addRole(role);
      if (problem) onIgnoredRole?.(role, problem);
    }
    return permissions;
  }

  allows(permission: GroupPermission, group: string): boolean {
    const e = this.entries[permission];
    if (e.anyGroup || e.groups.has(group)) return true;
    for (const p of e.patterns) if (p.regex.test(group)) return true;
    return false;
  }

  /** REST check: with a target, "may the connection do this to that group"; without, "to any group". */
  has(permission: GroupPermission, targetGroup?: string): boolean {
    return targetGroup === undefined ? this.entries[permission].anyGroup : this.allows(permission, targetGroup);
  }

  grant(permission: GroupPermission, targetGroup?: string): void {
    if (targetGroup === undefined) this.entries[permission].anyGroup = true;
    else this.entries[permission].groups.add(targetGroup);
  }

  revoke(permission: GroupPermission, targetGroup?: string): void {
    if (targetGroup === undefined) this.entries[permission].anyGroup = false;
    else this.entries[permission].groups.delete(targetGroup);
  }

  /** Returns a reason when the role is a malformed permission role; undefined when used or unrelated. */
  private addRole(role: string): string | undefined {
    for (const permission of GROUP_PERMISSIONS) {
      const base = `webpubsub.${permission}`;
      if (role === base) {
        this.entries[permission].anyGroup = true;
        return undefined;
      }
      const patternPrefix = `${base}s.`;
      if (role.startsWith(patternPrefix)) {
        const source = role.slice(patternPrefix.length);
        if (source === '') return 'empty group pattern';
        const compiled = compileGroupPattern(source);
        if (!compiled.ok) return compiled.error.message;
        this.entries[permission].patterns.push({ source, regex: compiled.value });
        return undefined;
      }
      const exactPrefix = `${base}.`;
      if (role.startsWith(exactPrefix)) {
        const group = role.slice(exactPrefix.length);
        if (group === '') return 'empty group name';
        this.entries[permission].groups.add(group);
        return undefined;
      }
    }
    return undefined;
  }
}
