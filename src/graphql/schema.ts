import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each type file registers its object type and its own query and mutation fields.
import './types/ApiKey.js';
import './types/Artifact.js';
import '../modules/cache/graphql.js';
import './types/Event.js';
import './types/Message.js';
import './types/Metric.js';
import '../modules/retention/graphql.js';
import '../modules/sessions/graphql.js';
import './types/State.js';

export const schema: GraphQLSchema = builder.toSchema();
