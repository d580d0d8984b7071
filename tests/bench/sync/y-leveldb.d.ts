// y-leveldb ships types that its package.json "exports" hides from NodeNext resolution; this is
// the part of its API the harness uses (src/y-leveldb.js).
declare module 'y-leveldb' {
  export class LeveldbPersistence {
    constructor(location: string);
    storeUpdate(docName: string, update: Uint8Array): Promise<number>;
    destroy(): Promise<void>;
  }
}
