import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const self = new Map(); const byId = new Map(p.nodes.map(n => [n.id, n]));
const dt = p.timeDeltas; const total = dt.reduce((a,b)=>a+b,0);
const counts = new Map();
const lo=+(process.argv[4]||0)*1e6, hi=+(process.argv[5]||1e12)*1e6; let t=0;
p.samples.forEach((s,i)=>{t+=dt[i]; if(t>=lo&&t<hi) counts.set(s,(counts.get(s)||0)+dt[i]);});
const byUrl = new Map(); const byFn = new Map();
for (const [id,t] of counts) { const n=byId.get(id); const cf=n.callFrame; const u=(cf.url||'(native)').replace(/.*node_modules\//,'nm/'); const key=u.split('/').slice(0, u.startsWith('nm/')?2:99).join('/'); byUrl.set(key,(byUrl.get(key)||0)+t); const f=`${cf.functionName||'(anon)'} ${u}:${cf.lineNumber}`; byFn.set(f,(byFn.get(f)||0)+t); }
console.log('total ms', (total/1000).toFixed(0), 'window', [...counts.values()].reduce((a,b)=>a+b,0)/1000);
console.log([...byUrl].sort((a,b)=>b[1]-a[1]).slice(0, +process.argv[3]||15).map(([k,v])=>`${(v/1000).toFixed(1).padStart(8)} ${k}`).join('\n'));
console.log('--- fns');
console.log([...byFn].sort((a,b)=>b[1]-a[1]).slice(0, +process.env.TOPN || 20).map(([k,v])=>`${(v/1000).toFixed(1).padStart(8)} ${k}`).join('\n'));
