/** Moved to the library layer (constructs/common/ip.ts); kept so older imports keep working. */
export * from '../constructs/common/ip';
