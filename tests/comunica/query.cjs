// Runs one SPARQL SELECT with Comunica and prints {"bindings": [...], "fetched": [...]} as JSON.
// Usage: node query.cjs '{"engine": "plain"|"traversal", "sources": [...], "query": "...",
//                         "map": ["https://base/", "http://127.0.0.1:port/"]}'
// Every IRI under map[0] is fetched from map[1]; any other URL that is not under map[1] is
// refused, so link traversal never leaves the test server.
const args = JSON.parse(process.argv[2]);
const { QueryEngine } = require(args.engine === 'traversal'
  ? '@comunica/query-sparql-link-traversal' : '@comunica/query-sparql');

const [from, to] = args.map;
const fetched = [];
async function mappedFetch(input, init) {
  let url = typeof input === 'string' ? input : (input.url ?? String(input));
  if (url.startsWith(from)) url = to + url.slice(from.length);
  if (!url.startsWith(to)) throw new Error(`refused to fetch ${url}: not the test server`);
  fetched.push(url);
  return fetch(url, init);
}

(async () => {
  const engine = new QueryEngine();
  const stream = await engine.queryBindings(args.query, {
    sources: args.sources, fetch: mappedFetch, lenient: args.engine === 'traversal',
  });
  const bindings = (await stream.toArray()).map((b) => Object.fromEntries(
    [...b].map(([variable, term]) => [variable.value,
      { type: term.termType, value: term.value, language: term.language ?? '' }])));
  process.stdout.write(JSON.stringify({ bindings, fetched }));
})().catch((error) => { console.error(error); process.exit(1); });
