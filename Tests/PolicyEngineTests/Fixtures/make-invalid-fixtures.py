import os, shutil
base = open('small/policy.yaml').read()
cases = {
 'unknown-key': ('  identity: {label: {de: Identität, en: Identity}}', '  identity: {label: {de: Identität, en: Identity}, colour: red}'),
 'unknown-id': ('  name.given: {category: identity,', '  name.given: {category: identty,'),
 'duplicate-id': ('  - {id: office-in-town,', '  - {id: office-names,'),
 'missing-citation': ('basis: statute, citation: "§ 2 Test"}', 'basis: statute}'),
 'glob-matches-nothing': ('fields: [name.*], basis: statute', 'fields: [name.*, nmae.*], basis: statute'),
 'permit-shadowed': ('  - {id: office-no-health,', '  - {id: office-no-names, effect: forbid, partners: [office], fields: [name.*], citation: "§ 9 Test"}\n  - {id: office-no-health,'),
 'bad-folder-name': ('folder: Agentur_1}', 'folder: "../Agentur 1"}'),
 'undeclared-attribute': ("when: {age: {lt: 18}}, basis", "when: {years: {lt: 18}}, basis"),
 'condition-type': ("when: {age: {lt: 18}}, basis", "when: {age: {lt: eighteen}}, basis"),
 'invalid-operator': ("when: {age: {lt: 18}}, basis", "when: {age: {about: 18}}, basis"),
 'missing-file': ('en: {file: texts/t.en.md}', 'en: {file: texts/t.fr.md}'),
 'yaml-syntax': ('title: {de: Klein, en: Small}', 'title: {de: Klein, en: Small'),
 'forbid-basis': ('fields: [health.notes], citation: "§ 88 Test"}', 'fields: [health.notes], basis: consent, citation: "§ 88 Test"}'),
}
os.makedirs('invalid', exist_ok=True)
for name, (old, new) in cases.items():
    assert base.count(old) == 1, name
    d = f'invalid/{name}'
    os.makedirs(d + '/texts', exist_ok=True)
    open(d + '/policy.yaml', 'w').write(base.replace(old, new))
    for t in ['t.de.md', 't.en.md']:
        shutil.copy('small/texts/' + t, d + '/texts/' + t)
# several problems at once
d = 'invalid/many-problems'; os.makedirs(d + '/texts', exist_ok=True)
s = base
for name in ['unknown-key', 'unknown-id', 'missing-citation', 'bad-folder-name', 'undeclared-attribute']:
    old, new = cases[name]; s = s.replace(old, new)
open(d + '/policy.yaml', 'w').write(s)
for t in ['t.de.md', 't.en.md']: shutil.copy('small/texts/' + t, d + '/texts/' + t)
# over-deep nesting
d = 'invalid/nesting-too-deep'; os.makedirs(d + '/texts', exist_ok=True)
open(d + '/policy.yaml', 'w').write(base + 'deep: ' + '[' * 100 + ']' * 100 + '\n')
for t in ['t.de.md', 't.en.md']: shutil.copy('small/texts/' + t, d + '/texts/' + t)
# oversized
# (the oversized-input bundle is written by the test itself into a temporary folder)
for t in ['t.de.md', 't.en.md']: shutil.copy('small/texts/' + t, d + '/texts/' + t)
