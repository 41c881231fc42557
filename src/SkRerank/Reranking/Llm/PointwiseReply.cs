namespace SkRerank.Reranking;

/// <summary>What a pointwise reply said: a grade per document number (index 0 is document [1]), or null where it said nothing usable.</summary>
/// <param name="Grades">One slot per document in the prompt.</param>
/// <param name="Rejected">Entries that were read but thrown away (unknown number, repeated number, grade off the scale or not a number).</param>
/// <param name="Problem">Why nothing could be used; <see langword="null"/> when at least one grade was read.</param>
internal sealed record PointwiseReply(double?[] Grades, int Rejected, string? Problem)
{
    public int Graded => Grades.Count(g => g is not null);
}
