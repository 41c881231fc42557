namespace SkRerank.Reranking;

/// <summary>Describes a reranker.</summary>
/// <param name="ProviderName">Who runs it, e.g. "together", "onnx", "local".</param>
/// <param name="ModelId">The model, e.g. "Salesforce/Llama-Rank-V1".</param>
public sealed record RerankerMetadata(string ProviderName, string? ModelId);
