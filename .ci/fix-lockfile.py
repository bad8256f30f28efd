#!/usr/bin/env python3
"""Add lock entries for other platforms' optional native packages that `npm install` left out.

Why: this project's registry mirror answers 404 for some platform builds (e.g. @duckdb/node-bindings-darwin-arm64),
so `npm install` cannot record them, and npm 11's `npm ci` then rejects the lock ("Missing: … from lock file").
An entry marked with its os/cpu is all `npm ci` needs: it skips a package built for another platform without
fetching it. Run after any `npm install` that rewrites package-lock.json:

    python3 .ci/fix-lockfile.py package-lock.json
"""
import json, re, subprocess, sys
lock_path = sys.argv[1]
d = json.load(open(lock_path))
pk = d['packages']
def platform(name):
    base = name.split('/')[-1]
    os_ = next((o for o in ['darwin','linux','win32','android','freebsd','openbsd','netbsd','sunos','aix','openharmony'] if o in base), None)
    cpu = next((c for c in ['arm64','x64','ia32','arm','loong64','ppc64','riscv64','s390x','mips64el','wasm32'] if re.search(r'(^|-)'+c+r'($|-)', base)), None)
    libc = 'musl' if 'musl' in base else ('glibc' if ('gnu' in base and os_=='linux') else None)
    return os_, cpu, libc
added = 0
for key, meta in list(pk.items()):
    for dep, spec in (meta.get('optionalDependencies') or {}).items():
        target = 'node_modules/' + dep
        if target in pk: continue
        os_, cpu, libc = platform(dep)
        if not os_: continue
        ver = spec.lstrip('^~=')
        entry = {'version': ver, 'cpu': [cpu] if cpu else None, 'license': None, 'optional': True, 'os': [os_]}
        if libc: entry['libc'] = [libc]
        entry = {k: v for k, v in entry.items() if v is not None}
        pk[target] = entry
        added += 1
d['packages'] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(d, open(lock_path, 'w'), indent=2, ensure_ascii=False)
open(lock_path, 'a').write('\n')
print('added', added)
