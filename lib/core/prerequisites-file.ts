import { DeclaredPrerequisite, PrerequisiteKind } from './prerequisites';

/** File name of the prerequisites for people, beside the manifests. */
export const PREREQUISITES_MARKDOWN = 'PREREQUISITES.md';

/**
 * File name of the prerequisites for machines, beside the manifests. Not `.json`: Argo CD reads
 * every `*.json` file of a directory application as a manifest and fails on one that is not
 * (argo-cd v3.5.0, `reposerver/repository/repository.go`, `manifestFile` and `getObjsFromYAMLOrJSON`),
 * and a YAML file would be taken for a manifest by every tool. The content is plain JSON.
 */
export const PREREQUISITES_JSON = 'prerequisites.jsonc';

/** The sections of the Markdown file, in order, with the columns of their tables. */
const SECTIONS: ReadonlyArray<{ kind: PrerequisiteKind; title: string; intro: string }> = [
  { kind: PrerequisiteKind.KUBERNETES, title: 'Kubernetes', intro: 'The cluster runs a Kubernetes version inside every range listed here.' },
  { kind: PrerequisiteKind.OPERATOR, title: 'Operators and CRDs', intro: 'Installed before the manifests are applied, each with its CustomResourceDefinitions at the version given.' },
  { kind: PrerequisiteKind.CLUSTER_OBJECT, title: 'Cluster-scoped objects', intro: 'Objects the manifests name but do not create: the platform team creates them once per cluster.' },
  { kind: PrerequisiteKind.OBJECT, title: 'Objects produced elsewhere', intro: 'Namespaced objects the manifests read but do not produce.' },
  { kind: PrerequisiteKind.CONTROLLER_SETTING, title: 'Controller settings', intro: 'Settings of the cluster\'s controllers the manifests rely on.' },
  { kind: PrerequisiteKind.SECRET_STORE_KEY, title: 'Secret store keys', intro: 'Keys that exist in the secret stores\' backends before the ExternalSecrets that read them can sync.' },
  { kind: PrerequisiteKind.DNS_RECORD, title: 'DNS records', intro: 'Names that resolve to the cluster\'s entry, where clients (and an ACME server validating HTTP-01) reach the hosts: made by hand before the certificates can be issued, unless the entry says which controller creates it from the manifests.' },
  { kind: PrerequisiteKind.NETWORK, title: 'Network', intro: 'Facts about the cluster\'s network the NetworkPolicies are written for.' },
  { kind: PrerequisiteKind.CLOUD_IDENTITY, title: 'Cloud identities', intro: 'Identities of the cloud provider that ServiceAccounts of the manifests assume: each must exist and trust the ServiceAccount named.' },
  { kind: PrerequisiteKind.IDENTITY_PROVIDER, title: 'Identity providers', intro: 'What the identity providers people sign in with must have: clients, redirect URIs and the claims of their tokens.' },
];

/**
 * The prerequisites as Markdown for people: a section per kind, each entry with why it is needed and
 * which constructs need it. `title` heads the file (e.g. the stage's name).
 */
export function prerequisitesMarkdown(title: string, declared: readonly DeclaredPrerequisite[]): string {
  const lines = [
    `# Prerequisites: ${title}`,
    '',
    'What the cluster must provide before these manifests are applied. Every name an object here reads is',
    'either produced by these manifests (or by an operator from them) or listed below.',
    '',
  ];
  for (const section of SECTIONS) {
    const entries = declared.filter((d) => d.prerequisite.kind === section.kind);
    if (entries.length === 0) {
      continue;
    }
    lines.push(`## ${section.title}`, '', section.intro, '');
    for (const { prerequisite, requiredBy } of entries) {
      lines.push(`- **${escape(prerequisite.title)}**: ${escape(prerequisite.reason)}`);
      for (const [field, value] of Object.entries(prerequisite.details)) {
        if (Array.isArray(value) && value.length > 0) {
          lines.push(`  - ${field}: ${value.map((v) => `\`${v}\``).join(', ')}`);
        } else if (section.kind === PrerequisiteKind.OPERATOR && typeof value === 'string' && ['namespace', 'kubernetesVersions', 'docs'].includes(field)) {
          lines.push(`  - ${field}: ${field === 'docs' ? `<${value}>` : escape(value)}`);
        }
      }
      lines.push(`  - required by: ${requiredBy.map((p) => `\`${p}\``).join(', ')}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The prerequisites as JSON for machines: `{ "title", "prerequisites": [{ kind, key, title, reason, details, requiredBy }] }`. */
export function prerequisitesJson(title: string, declared: readonly DeclaredPrerequisite[]): string {
  const order = new Map(SECTIONS.map((s, i) => [s.kind, i]));
  const sorted = [...declared].sort((a, b) => order.get(a.prerequisite.kind)! - order.get(b.prerequisite.kind)!);
  return `${JSON.stringify({
    title,
    prerequisites: sorted.map(({ prerequisite, requiredBy }) => ({
      kind: prerequisite.kind,
      key: prerequisite.key,
      title: prerequisite.title,
      reason: prerequisite.reason,
      details: prerequisite.details,
      requiredBy,
    })),
  }, null, 2)}\n`;
}

function escape(text: string): string {
  return text.replace(/([*_`|])/g, '\\$1');
}
