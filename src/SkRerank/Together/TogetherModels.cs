namespace SkRerank.Together;

/// <summary>
/// Model ids used with Together, the vector sizes of its embedding models, and what each rerank model accepts.
/// Together (2026) serves <see cref="MultilingualE5LargeInstruct"/> serverless; every rerank model, and
/// <see cref="BgeBaseEnV15"/>, needs a dedicated endpoint.
/// </summary>
public static class TogetherModels
{
    /// <summary>Together's serverless embedding model (1024 dimensions, 514 tokens, longer texts truncated): the default.</summary>
    public const string MultilingualE5LargeInstruct = "intfloat/multilingual-e5-large-instruct";

    /// <summary>
    /// The query instruction <see cref="MultilingualE5LargeInstruct"/> is trained with ("Instruct: task\nQuery: "); documents
    /// are embedded without one.
    /// </summary>
    public const string E5InstructQueryPrefix = "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery: ";

    /// <summary>The cookbook's embedding model (768 dimensions); no longer serverless, still selectable by name.</summary>
    public const string BgeBaseEnV15 = "BAAI/bge-base-en-v1.5";

    /// <summary>The cookbook's reranker, as the model page spells it (the API enum spells it <c>Salesforce/Llama-Rank-v1</c>; both work). Dedicated endpoint only.</summary>
    public const string LlamaRankV1 = "Salesforce/Llama-Rank-V1";

    /// <summary>Mixedbread's reranker on Together (dedicated endpoint only; documents must be plain strings).</summary>
    public const string MxbaiRerankLargeV2 = "mixedbread-ai/Mxbai-Rerank-Large-V2";

    // Known sizes let the vector store collection be created before the first request; unknown models are learned
    // from the first response instead.
    private static readonly Dictionary<string, int> EmbeddingDimensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [MultilingualE5LargeInstruct] = 1024,
        [BgeBaseEnV15] = 768,
        ["BAAI/bge-large-en-v1.5"] = 1024,
        ["togethercomputer/m2-bert-80M-8k-retrieval"] = 768,
        ["togethercomputer/m2-bert-80M-32k-retrieval"] = 768,
        ["WhereIsAI/UAE-Large-V1"] = 1024,
        ["Alibaba-NLP/gte-modernbert-base"] = 768,
    };

    /// <summary>Looks up the vector size of a known embedding model.</summary>
    /// <param name="model">The model id (case-insensitive).</param>
    /// <param name="dimensions">The vector size when known.</param>
    /// <returns><see langword="true"/> when the model is in the table.</returns>
    public static bool TryGetEmbeddingDimensions(string model, out int dimensions) =>
        EmbeddingDimensions.TryGetValue(model, out dimensions);

    /// <summary>
    /// Whether <paramref name="model"/> is Llama-Rank (either spelling, or a dedicated endpoint's name built on it): the
    /// only Together rerank model that accepts object documents with <c>rank_fields</c>.
    /// </summary>
    /// <param name="model">The model or endpoint name.</param>
    public static bool AcceptsObjectDocuments(string model) =>
        model.Contains("Llama-Rank", StringComparison.OrdinalIgnoreCase);

    /// <summary>The query instruction a model documents, or <see langword="null"/> when it needs none.</summary>
    /// <param name="model">The embedding model id.</param>
    public static string? DefaultQueryInstruction(string model) =>
        model.Contains("e5-large-instruct", StringComparison.OrdinalIgnoreCase) || model.Contains("e5-mistral", StringComparison.OrdinalIgnoreCase)
            ? E5InstructQueryPrefix
            : null;
}
