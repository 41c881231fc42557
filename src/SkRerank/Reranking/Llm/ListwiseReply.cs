namespace SkRerank.Reranking;

/// <summary>What a listwise reply said: document positions in the prompt (0-based), most relevant first, each at most once.</summary>
/// <param name="Ranking">The valid part of the model's ranking; documents it left out are not listed.</param>
/// <param name="Rejected">Entries thrown away (unknown or repeated number).</param>
/// <param name="Problem">Why nothing could be used; <see langword="null"/> when at least one document was ranked.</param>
internal sealed record ListwiseReply(int[] Ranking, int Rejected, string? Problem);
