// The Colyseus state of the moving-entities scene: a map of entities with float32 positions,
// filtered per client with StateView (the map is tagged .view(), so a client receives only the
// entities its view holds).

import { schema, t, type SchemaType } from '@colyseus/schema';

export const Entity = schema(
  {
    x: t.float32(),
    y: t.float32(),
  },
  'Entity',
);
export type Entity = SchemaType<typeof Entity>;

export const SceneState = schema(
  {
    entities: t.map(Entity).view(),
  },
  'SceneState',
);
export type SceneState = SchemaType<typeof SceneState>;
