/**
 * metav1.LabelSelector semantics (k8s.io/apimachinery pkg/apis/meta/v1 LabelSelectorAsSelector):
 * matchLabels and every matchExpression must hold; an empty selector matches everything.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export function labelSelectorMatches(selector: Any, labels: Readonly<Record<string, string>>): boolean {
  const equal = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const expressions = (selector.matchExpressions ?? []).every((e: Any) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        return has && e.values.includes(labels[e.key]);
      case 'NotIn':
        return !has || !e.values.includes(labels[e.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
  return equal && expressions;
}
