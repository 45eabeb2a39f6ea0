/** Points a config's URLs at another host:port (the demo's simulator when 9108 is taken). */
import type { ActionConfig, Config } from '../config/types.js';

export function retargetConfig(config: Config, from: string, to: string): Config {
  if (from === to) return config;
  const swap = (url: string) => url.replace(`//${from}/`, `//${to}/`).replace(new RegExp(`//${from.replace(/\./g, '\\.')}$`), `//${to}`);
  const sources = Object.fromEntries(
    Object.entries(config.sources).map(([id, s]) => [id, 'url' in s ? { ...s, url: swap(s.url) } : s]),
  ) as Config['sources'];
  const action = (a: ActionConfig | undefined) => (a && a.kind === 'http' ? { ...a, url: swap(a.url) } : a);
  const actions: Config['actions'] = {};
  const ks = action(config.actions.killSwitch);
  const si = action(config.actions.setInfluence);
  if (ks) actions.killSwitch = ks;
  if (si) actions.setInfluence = si;
  return { ...config, sources, actions };
}
