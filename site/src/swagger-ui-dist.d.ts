/** The part of swagger-ui-dist's browser bundle the API reference page uses (the package ships no types). */
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  interface SwaggerUIOptions {
    url: string;
    domNode: HTMLElement;
    validatorUrl: string | null;
    showExtensions?: boolean;
    defaultModelsExpandDepth?: number;
    syntaxHighlight?: false;
  }
  export default function SwaggerUIBundle(options: SwaggerUIOptions): unknown;
}
