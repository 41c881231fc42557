namespace SkRerank.Search;

/// <summary>How the first stage retrieves candidates.</summary>
public enum FirstStageMode
{
    /// <summary>Dense vector search only (the cookbook's first stage).</summary>
    Vector,
    /// <summary>
    /// Dense search fused with keyword (BM25) search through <see cref="Microsoft.Extensions.VectorData.IKeywordHybridSearchable{TRecord}"/>
    /// when the collection supports it; dense search otherwise.
    /// </summary>
    Hybrid,
}
