import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each type file registers its object type and its own query and mutation fields.
import '../modules/keys/graphql.js';
import '../modules/artifacts/graphql.js';
import '../modules/artifacts/content-graphql.js';
import '../modules/cache/graphql.js';
import '../modules/checkpoints/graphql.js';
import '../modules/events/graphql.js';
import '../modules/history/graphql.js';
import '../modules/memory/graphql.js';
import '../modules/metrics/graphql.js';
import '../modules/retention/graphql.js';
import '../modules/search/graphql.js';
import '../modules/sessions/graphql.js';
import '../modules/state/graphql.js';

export const schema: GraphQLSchema = builder.toSchema();
