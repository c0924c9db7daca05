/**
 * Dated list prices of the non-server resources the cost estimate counts: load
 * balancers, block volumes, managed control planes and NAT gateways. Like the
 * instance-type prices, a dated table, never truth: the estimate prints the date
 * and the source next to every figure. Usage-based parts (traffic, LCUs, NAT data
 * processing) are not priced.
 */
import type { Cloud } from './instance-types';

export type ServicePriceUnit = 'month' | 'GiB-month';

export interface ServicePrice {
  readonly cloud: Cloud;
  /** Stable key: `load-balancer:lb11`, `volume`, `eks-cluster`, `nat-gateway`, `nlb`, `ebs-gp3`. */
  readonly key: string;
  readonly description: string;
  readonly price: number;
  readonly unit: ServicePriceUnit;
  readonly currency: 'EUR' | 'USD';
}

export const SERVICE_PRICES_AS_OF: Record<Cloud, string> = {
  hcloud: '2025-10-15',
  aws: '2025-11-01',
};

export const SERVICE_PRICE_SOURCES: Record<Cloud, string> = {
  hcloud:
    'Hetzner Cloud list prices, EU locations, net of VAT, monthly cap (traffic beyond the included volume not priced)',
  aws: 'AWS list prices, us-east-1, hourly x 730 (LCU, data processing and transfer not priced)',
};

const PRICES: readonly ServicePrice[] = [
  {
    cloud: 'hcloud',
    key: 'load-balancer:lb11',
    description: 'Load balancer LB11',
    price: 5.39,
    unit: 'month',
    currency: 'EUR',
  },
  {
    cloud: 'hcloud',
    key: 'load-balancer:lb21',
    description: 'Load balancer LB21',
    price: 16.4,
    unit: 'month',
    currency: 'EUR',
  },
  {
    cloud: 'hcloud',
    key: 'load-balancer:lb31',
    description: 'Load balancer LB31',
    price: 32.9,
    unit: 'month',
    currency: 'EUR',
  },
  { cloud: 'hcloud', key: 'volume', description: 'Block volume', price: 0.044, unit: 'GiB-month', currency: 'EUR' },
  {
    cloud: 'aws',
    key: 'eks-cluster',
    description: 'EKS cluster (standard support)',
    price: 73,
    unit: 'month',
    currency: 'USD',
  },
  {
    cloud: 'aws',
    key: 'nat-gateway',
    description: 'NAT gateway (hours only)',
    price: 32.85,
    unit: 'month',
    currency: 'USD',
  },
  {
    cloud: 'aws',
    key: 'nlb',
    description: 'Network load balancer (hours only)',
    price: 16.43,
    unit: 'month',
    currency: 'USD',
  },
  { cloud: 'aws', key: 'ebs-gp3', description: 'EBS gp3 volume', price: 0.08, unit: 'GiB-month', currency: 'USD' },
];

export function servicePrice(cloud: Cloud, key: string): ServicePrice | undefined {
  return PRICES.find((p) => p.cloud === cloud && p.key === key);
}
