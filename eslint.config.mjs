// Type-checked lint. The import restrictions keep the architecture honest: provider/ and emulator/
// are written independently from the AWS documents, and a service folder never imports a sibling.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const services = ["ads", "mgn", "migrationhub", "ec2", "s3", "sts"];
const siblingBans = (side) =>
  services.map((svc) => ({
    files: [`${side}/${svc}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/provider/**", "**/provider"].filter(() => side === "emulator"),
              message: "emulator/ never imports provider/",
            },
            {
              group: ["**/emulator/**", "**/emulator"].filter(() => side === "provider"),
              message: "provider/ never imports emulator/",
            },
            ...services
              .filter((other) => other !== svc)
              .map((other) => ({
                group: [`../${other}/*`, `../${other}`],
                message: "a service folder imports only core/, never a sibling service",
              })),
          ].filter((p) => p.group.length > 0),
        },
      ],
    },
  }));

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "coverage/**",
      "node_modules/**",
      ".tools/**",
      ".demo/**",
      "examples/**/node_modules/**",
      "**/*.mjs",
      "**/*.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["provider/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/emulator/**", "**/emulator"],
              message: "provider/ never imports emulator/",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/provider/**", "**/provider"],
              message: "emulator/ never imports provider/",
            },
          ],
        },
      ],
    },
  },
  ...siblingBans("provider"),
  ...siblingBans("emulator"),
  {
    files: ["tests/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
);
