/** Moved to the library layer (constructs/common/dns-name.ts); kept so older imports keep working. */
export * from '../constructs/common/dns-name';
