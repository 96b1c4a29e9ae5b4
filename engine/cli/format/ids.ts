// formatter.TruncateID: IDs in tables are cut to 12 characters, after any `algo:` prefix.

export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  const bare = colon >= 0 ? id.slice(colon + 1) : id;
  return bare.length > 12 ? bare.slice(0, 12) : bare;
}
