namespace SkRerank.Together;

/// <summary>Model ids used with Together, and the vector sizes of its serverless embedding models.</summary>
public static class TogetherModels
{
    /// <summary>The cookbook's embedding model (768 dimensions).</summary>
    public const string BgeBaseEnV15 = "BAAI/bge-base-en-v1.5";

    /// <summary>The cookbook's reranker.</summary>
    public const string LlamaRankV1 = "Salesforce/Llama-Rank-V1";

    // Known sizes let the vector store collection be created before the first request; unknown models are learned
    // from the first response instead.
    private static readonly Dictionary<string, int> EmbeddingDimensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [BgeBaseEnV15] = 768,
        ["BAAI/bge-large-en-v1.5"] = 1024,
        ["togethercomputer/m2-bert-80M-8k-retrieval"] = 768,
        ["togethercomputer/m2-bert-80M-32k-retrieval"] = 768,
        ["WhereIsAI/UAE-Large-V1"] = 1024,
        ["intfloat/multilingual-e5-large-instruct"] = 1024,
        ["Alibaba-NLP/gte-modernbert-base"] = 768,
    };

    /// <summary>Looks up the vector size of a known embedding model.</summary>
    /// <param name="model">The model id (case-insensitive).</param>
    /// <param name="dimensions">The vector size when known.</param>
    /// <returns><see langword="true"/> when the model is in the table.</returns>
    public static bool TryGetEmbeddingDimensions(string model, out int dimensions) =>
        EmbeddingDimensions.TryGetValue(model, out dimensions);
}
