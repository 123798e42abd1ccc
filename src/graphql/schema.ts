import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each type file registers its object type and its own query and mutation fields.
import './types/ApiKey.js';
import '../modules/artifacts/graphql.js';
import '../modules/cache/graphql.js';
import './types/Event.js';
import './types/Message.js';
import './types/Metric.js';
import './types/Retention.js';
import './types/Session.js';
import '../modules/state/graphql.js';

export const schema: GraphQLSchema = builder.toSchema();
