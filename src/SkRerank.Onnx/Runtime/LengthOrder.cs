namespace SkRerank.Onnx.Runtime;

/// <summary>Orders inputs longest first, so that batches hold similar lengths and pad little.</summary>
internal static class LengthOrder
{
    /// <summary>Indices of <paramref name="sequences"/>, longest first; equal lengths keep input order.</summary>
    public static int[] LongestFirst(IReadOnlyList<EncodedSequence> sequences)
    {
        var order = new int[sequences.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        // Array.Sort is unstable; the index tie-break makes the order (and so the batches) deterministic.
        Array.Sort(order, (a, b) =>
        {
            var byLength = sequences[b].Ids.Length.CompareTo(sequences[a].Ids.Length);
            return byLength != 0 ? byLength : a.CompareTo(b);
        });
        return order;
    }
}
