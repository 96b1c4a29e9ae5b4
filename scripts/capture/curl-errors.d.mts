// Types for the tests that read curl-errors.mjs's case list.
export declare const curlCases: readonly { command: string; why: string }[];
