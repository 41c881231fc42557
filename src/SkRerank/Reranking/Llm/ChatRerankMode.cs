namespace SkRerank.Reranking;

/// <summary>How <see cref="ChatCompletionReranker"/> asks the model to judge the candidates.</summary>
public enum ChatRerankMode
{
    /// <summary>
    /// The model grades each document on an absolute scale (0 to <see cref="ChatCompletionRerankerOptions.MaxGrade"/>),
    /// several documents per prompt; prompts run concurrently. Scores are comparable across queries, so a minimum
    /// relevance score means something.
    /// </summary>
    Pointwise,

    /// <summary>
    /// The model orders the numbered documents by relevance (RankGPT style); longer lists are ranked with a sliding
    /// window from the back of the list to the front, one prompt after another. Scores only encode rank positions.
    /// </summary>
    Listwise,
}
