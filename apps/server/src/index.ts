export { loadConfig, ConfigError, type Config } from './config.js';
export { createWaymarkServer, type WaymarkServer } from './server.js';
export { CapabilitySigner } from './access/capability.js';
export { ROLES, type Role, type Permission } from './access/roles.js';
export type { MapStore, StoredMap } from './storage/map-store.js';
export { MemoryMapStore } from './storage/memory-store.js';
export { SqliteMapStore } from './storage/sqlite-store.js';
export { CloseCode } from './sync/sync-socket.js';
