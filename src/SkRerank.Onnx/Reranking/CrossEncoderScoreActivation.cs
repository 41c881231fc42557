namespace SkRerank.Onnx.Reranking;

/// <summary>What a single-logit cross-encoder's output becomes as a relevance score.</summary>
public enum CrossEncoderScoreActivation
{
    /// <summary>The raw logit (ms-marco cross-encoders: roughly -11 to 11).</summary>
    None,

    /// <summary>The logit through a sigmoid, in (0, 1); the ordering is the same.</summary>
    Sigmoid,
}
