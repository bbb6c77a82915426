// Display adapters: sync a table's rows to Phaser game objects or Three.js objects. Import from
// '@worldline/sdk/adapters/index.ts'; the engines themselves are passed in, never imported.
export { EntitySync, type EntitySyncHooks } from './entity-sync.ts';
export { syncSprites, type PhaserObjectLike, type PhaserSceneLike, type PhaserSyncOptions } from './phaser.ts';
export { syncObjects, type Object3DLike, type Object3DParentLike, type ThreeSyncOptions } from './three.ts';
