// google.rpc.Code values for the `code` of the google.rpc.Status bodies of error answers, chosen
// per HTTP status as gRPC's HTTP mapping does.

export const GRPC_CODE = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** The google.rpc.Code for an HTTP error status. */
export function grpcCodeFor(status: number): number {
  switch (status) {
    case 400:
      return GRPC_CODE.INVALID_ARGUMENT;
    case 401:
      return GRPC_CODE.UNAUTHENTICATED;
    case 404:
      return GRPC_CODE.NOT_FOUND;
    case 405:
    case 415:
      return GRPC_CODE.UNIMPLEMENTED;
    case 413:
    case 429:
      return GRPC_CODE.RESOURCE_EXHAUSTED;
    case 503:
      return GRPC_CODE.UNAVAILABLE;
    default:
      return status >= 500 ? GRPC_CODE.INTERNAL : GRPC_CODE.INVALID_ARGUMENT;
  }
}
