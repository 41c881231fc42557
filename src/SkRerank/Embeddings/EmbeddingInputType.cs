namespace SkRerank.Embeddings;

/// <summary>
/// Whether a text is a search query or a document. Asymmetric models (snowflake-arctic-embed, bge, e5) embed queries
/// with an instruction prefix; symmetric ones ignore the distinction.
/// </summary>
public enum EmbeddingInputType
{
    /// <summary>A document to be indexed (the default).</summary>
    Document,
    /// <summary>A search query.</summary>
    Query,
}
