namespace SkRerank.Together;

/// <summary>The two endpoints, with the words and settings their error messages need.</summary>
internal sealed record TogetherOperation(string Path, string Name, string ModelSetting)
{
    public static readonly TogetherOperation Embeddings = new("embeddings", "embeddings", "--embedding-model (TogetherOptions.EmbeddingModel)");
    public static readonly TogetherOperation Rerank = new("rerank", "rerank", "--rerank-model (TogetherOptions.RerankModel)");

    /// <summary>The base URL this operation is sent to: rerank may live on a dedicated endpoint's own URL.</summary>
    public string BaseUrl(TogetherOptions options) => this == Rerank ? options.NormalizedRerankBaseUrl : options.NormalizedBaseUrl;
}
