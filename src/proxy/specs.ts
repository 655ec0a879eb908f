import { isJsonObject } from '../common/index.js';
import { badInput } from './errors.js';
import type { HttpMatch, ProxyMode, ProxySpec, Stream, ToxicSpec } from './model.js';
import { toxicDefinition, toxicTypes } from './toxics/registry.js';
import { ToxicAttributeError } from './toxics/toxic.js';

const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;
const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]{1,253}):(\d{1,5})$/;

/** Validates a proxy from API or config input, filling Toxiproxy's defaults. */
export function parseProxySpec(input: unknown): ProxySpec {
  const body = asObject(input, 'proxy');
  const name = field(body, 'name', 'string', true) as string;
  if (!NAME.test(name))
    throw badInput(`proxy name must match ${NAME.source}, got ${JSON.stringify(name)}`);
  const listen = field(body, 'listen', 'string', false) ?? '127.0.0.1:0';
  const upstream = field(body, 'upstream', 'string', true) as string;
  parseAddress(listen as string, 'listen');
  parseAddress(upstream, 'upstream');
  const enabled = field(body, 'enabled', 'boolean', false) ?? true;
  const mode = field(body, 'mode', 'string', false) ?? 'tcp';
  if (mode !== 'tcp' && mode !== 'http')
    throw badInput(`mode must be "tcp" or "http", got ${JSON.stringify(mode)}`);
  return {
    name,
    listen: listen as string,
    upstream,
    enabled: enabled as boolean,
    mode: mode as ProxyMode,
  };
}

/**
 * Validates a toxic, filling Toxiproxy's defaults (stream downstream,
 * toxicity 1, name `type_stream`) and the type's attribute defaults. With
 * `current`, input is a partial update of that toxic.
 */
export function parseToxicSpec(input: unknown, current?: ToxicSpec): ToxicSpec {
  const body = asObject(input, 'toxic');
  const type =
    (field(body, 'type', 'string', current === undefined) as string | undefined) ?? current!.type;
  const definition = toxicDefinition(type);
  if (!definition)
    throw badInput(`unknown toxic type ${JSON.stringify(type)}; known: ${toxicTypes().join(', ')}`);
  if (current && type !== current.type)
    throw badInput(`a toxic's type cannot change (${current.type} → ${type})`);
  const stream = (field(body, 'stream', 'string', false) ??
    current?.stream ??
    'downstream') as string;
  if (stream !== 'upstream' && stream !== 'downstream') {
    throw badInput(`stream must be "upstream" or "downstream", got ${JSON.stringify(stream)}`);
  }
  const toxicity = (field(body, 'toxicity', 'number', false) ?? current?.toxicity ?? 1) as number;
  if (!(toxicity >= 0 && toxicity <= 1))
    throw badInput(`toxicity must be from 0 to 1, got ${toxicity}`);
  const name = (field(body, 'name', 'string', false) ??
    current?.name ??
    `${type}_${stream}`) as string;
  if (!NAME.test(name))
    throw badInput(`toxic name must match ${NAME.source}, got ${JSON.stringify(name)}`);
  const given = body.attributes === undefined ? {} : asObject(body.attributes, 'attributes');
  const merged = {
    ...(definition.defaults as Record<string, unknown>),
    ...current?.attributes,
    ...given,
  };
  let attributes: ToxicSpec['attributes'];
  try {
    attributes = definition.parse(merged) as ToxicSpec['attributes'];
  } catch (error) {
    if (error instanceof ToxicAttributeError) throw badInput(`${type}: ${error.message}`);
    throw error;
  }
  const match = body.match === undefined ? current?.match : parseMatch(body.match);
  const scope = (field(body, 'scope', 'string', false) ?? current?.scope) as string | undefined;
  if (scope !== undefined && scope !== 'connection' && scope !== 'chunk')
    throw badInput(`scope must be "connection" or "chunk", got ${JSON.stringify(scope)}`);
  if (scope === 'chunk' && !definition.perChunk) {
    const able = toxicTypes().filter((name) => toxicDefinition(name)?.perChunk);
    throw badInput(
      `${type} cannot be drawn per chunk (it holds state across chunks); scope chunk works with ${able.join(', ')}`,
    );
  }
  return {
    ...{ name, type, stream: stream as Stream, toxicity, attributes },
    ...(match && { match }),
    ...(scope === 'chunk' && { scope }),
  };
}

function parseMatch(input: unknown): HttpMatch {
  const body = asObject(input, 'match');
  const method = field(body, 'method', 'string', false) as string | undefined;
  const path = field(body, 'path', 'string', false) as string | undefined;
  if (method !== undefined && !/^[A-Za-z]{1,16}$/.test(method))
    throw badInput(`match.method must be an HTTP method, got ${JSON.stringify(method)}`);
  if (path !== undefined && (path.length > 1024 || !path.startsWith('/')))
    throw badInput('match.path must be a glob starting with "/", at most 1024 characters');
  return {
    ...(method !== undefined && { method: method.toUpperCase() }),
    ...(path !== undefined && { path }),
  };
}

/** "host:port" → parts; port 0..65535. */
export function parseAddress(address: string, what: string): { host: string; port: number } {
  const match = ADDRESS.exec(address);
  const port = Number(match?.[2]);
  if (!match || port > 65535)
    throw badInput(`${what} must be host:port, got ${JSON.stringify(address)}`);
  const host = match[1]!.replace(/^\[|\]$/g, '');
  return { host, port };
}

function asObject(input: unknown, what: string): Record<string, unknown> {
  if (!isJsonObject(input)) throw badInput(`${what} must be a JSON object`);
  return input;
}

function field(
  body: Record<string, unknown>,
  name: string,
  type: 'string' | 'number' | 'boolean',
  required: boolean,
): unknown {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required) throw badInput(`missing field ${name}`);
    return undefined;
  }
  if (typeof value !== type)
    throw badInput(`field ${name} must be a ${type}, got ${JSON.stringify(value)}`);
  return value;
}
