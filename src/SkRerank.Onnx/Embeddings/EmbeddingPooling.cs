namespace SkRerank.Onnx.Embeddings;

/// <summary>How a sentence vector is made from a model's per-token vectors (sentence-transformers' pooling modes).</summary>
public enum EmbeddingPooling
{
    /// <summary>The vector of the first token, <c>[CLS]</c> (snowflake-arctic-embed, bge).</summary>
    Cls,

    /// <summary>The mean of the token vectors, padding excluded by the attention mask (all-MiniLM, e5, gte, most sentence-transformers).</summary>
    Mean,

    /// <summary>The component-wise maximum over the attended tokens.</summary>
    Max,

    /// <summary>The sum of the attended token vectors divided by the square root of their count.</summary>
    MeanSqrtLength,

    /// <summary>The vector of the last attended token.</summary>
    LastToken,
}
