// Generated CSV files shared by the journeys and the page benchmark (benches/app_speed.mjs).

/** `groups` groups `g000`, `g001`, … of `per` rows each: x, group, approved. */
export function manyGroups(groups, per) {
  const lines = ['x,group,approved'];
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < per; i++) {
      const x = ((g * 7919 + i * 104729) % 1000) / 10;
      lines.push(`${x},g${String(g).padStart(3, '0')},${x + (g % 7) * 3 + (i % 11) > 60 ? 'yes' : 'no'}`);
    }
  }
  return lines.join('\n') + '\n';
}
