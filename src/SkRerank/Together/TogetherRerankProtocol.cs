namespace SkRerank.Together;

/// <summary>The request and response shape of the rerank endpoint.</summary>
public enum TogetherRerankProtocol
{
    /// <summary>
    /// Together / Cohere v1 / Jina: <c>POST {base}/rerank</c> with <c>{"model","query","documents","top_n","return_documents"}</c>,
    /// answered with <c>{"results":[{"index","relevance_score"}]}</c>.
    /// </summary>
    Cohere,

    /// <summary>
    /// Hugging Face text-embeddings-inference: <c>POST {base}/rerank</c> with <c>{"query","texts","return_text"}</c>,
    /// answered with <c>[{"index","score"}]</c>; it has no model or <c>top_n</c> field, so the model is whatever the
    /// server loaded and the top results are cut here.
    /// </summary>
    TextEmbeddingsInference,
}
