using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel.Data;

namespace SkRerank.Tests.TextSearch;

/// <summary>A product FAQ entry: the second, non-movie domain (string keys, its own fields, SK text search attributes).</summary>
public sealed class FaqEntry
{
    [VectorStoreKey]
    public string Id { get; set; } = "";

    [VectorStoreData(IsFullTextIndexed = true)]
    [TextSearchResultName]
    public string Question { get; set; } = "";

    [VectorStoreData(IsFullTextIndexed = true)]
    [TextSearchResultValue]
    public string Answer { get; set; } = "";

    [VectorStoreData(IsIndexed = true)]
    public string Category { get; set; } = "";

    [VectorStoreData]
    [TextSearchResultLink]
    public string Link { get; set; } = "";

    /// <summary>The embedding of <see cref="Question"/> only: FAQ indexes often embed questions, so the answer is evidence only the reranker reads.</summary>
    [VectorStoreVector(384, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float>? Embedding { get; set; }

    /// <summary>What the reranker reads: question and answer.</summary>
    public string RerankText => Question + "\n" + Answer;
}
