/**
 * The shape of the constraint tables generated from AWS's service models by
 * scripts/gen-aws-models.ts (botocore's service-2.json, as the AWS CLI ships it).
 */

/** A member: its shape name, or the shape plus its wire name / location when they differ. */
export type ModelMember =
  | string
  | {
      shape: string;
      /** The model's locationName (or EC2 queryName when `query`). */
      wire?: string;
      query?: boolean;
      /** REST binding: uri, querystring, header. */
      location?: string;
    };

export interface ModelShape {
  type: string;
  required?: readonly string[];
  members?: Readonly<Record<string, ModelMember>>;
  /** List member shape. */
  member?: string;
  /** Map key and value shapes. */
  key?: string;
  value?: string;
  /** Length (strings, lists, maps) or value (numbers) bounds. */
  min?: number;
  max?: number;
  pattern?: string;
  enum?: readonly string[];
  flattened?: boolean;
}

export interface AwsModel {
  protocol: string;
  operations: Readonly<Record<string, { input?: string; errors: readonly string[] }>>;
  shapes: Readonly<Record<string, ModelShape>>;
}
