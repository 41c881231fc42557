namespace SkRerank.Onnx.Embeddings;

/// <summary>How a sentence vector is made from a model's per-token vectors.</summary>
public enum EmbeddingPooling
{
    /// <summary>The vector of the first token, <c>[CLS]</c> (snowflake-arctic-embed, bge).</summary>
    Cls,

    /// <summary>The mean of the token vectors, padding excluded by the attention mask (all-MiniLM, most sentence-transformers).</summary>
    Mean,
}
