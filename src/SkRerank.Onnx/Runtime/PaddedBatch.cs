using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace SkRerank.Onnx.Runtime;

/// <summary>
/// Token sequences padded to the longest one in the batch (dynamic padding), in buffers rented once and reused for
/// every batch of a call. Sequences are expected longest first, so the first batch sizes the buffers for all.
/// Not thread-safe: one instance per call.
/// </summary>
internal sealed class PaddedBatch : IDisposable
{
    private long[] _inputIds = [];
    private long[] _attentionMask = [];
    private long[] _tokenTypeIds = [];

    /// <summary>Rows in the current batch.</summary>
    public int Rows { get; private set; }

    /// <summary>Padded length of every row of the current batch.</summary>
    public int SequenceLength { get; private set; }

    /// <summary>The attention mask of the current batch, row-major; 1 for real tokens, 0 for padding.</summary>
    public ReadOnlySpan<long> AttentionMask => _attentionMask.AsSpan(0, Rows * SequenceLength);

    /// <summary>Fills the buffers with <paramref name="sequences"/>, padding with <paramref name="padId"/>.</summary>
    public void Fill(IReadOnlyList<EncodedSequence> sequences, int padId)
    {
        Rows = sequences.Count;
        SequenceLength = 0;
        foreach (var s in sequences) SequenceLength = Math.Max(SequenceLength, s.Ids.Length);
        var size = Rows * SequenceLength;
        EnsureCapacity(ref _inputIds, size);
        EnsureCapacity(ref _attentionMask, size);
        EnsureCapacity(ref _tokenTypeIds, size);

        for (var r = 0; r < Rows; r++)
        {
            var ids = sequences[r].Ids;
            var offset = r * SequenceLength;
            var idRow = _inputIds.AsSpan(offset, SequenceLength);
            var maskRow = _attentionMask.AsSpan(offset, SequenceLength);
            var typeRow = _tokenTypeIds.AsSpan(offset, SequenceLength);
            for (var t = 0; t < ids.Length; t++) idRow[t] = ids[t];
            idRow[ids.Length..].Fill(padId);
            maskRow[..ids.Length].Fill(1);
            maskRow[ids.Length..].Clear();
            var segmentStart = Math.Min(sequences[r].SecondSegmentStart, ids.Length);
            typeRow[..segmentStart].Clear();
            typeRow[segmentStart..ids.Length].Fill(1);
            typeRow[ids.Length..].Clear();
        }
    }

    /// <summary>Wraps the token ids in a tensor over the buffer (no copy).</summary>
    public OrtValue CreateInputIds() => Wrap(_inputIds);

    /// <summary>Wraps the attention mask in a tensor over the buffer (no copy).</summary>
    public OrtValue CreateAttentionMask() => Wrap(_attentionMask);

    /// <summary>Wraps the token type ids in a tensor over the buffer (no copy).</summary>
    public OrtValue CreateTokenTypeIds() => Wrap(_tokenTypeIds);

    /// <inheritdoc />
    public void Dispose()
    {
        Return(ref _inputIds);
        Return(ref _attentionMask);
        Return(ref _tokenTypeIds);
    }

    private OrtValue Wrap(long[] buffer) =>
        OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance,
            buffer.AsMemory(0, Rows * SequenceLength),
            [Rows, SequenceLength]);

    private static void EnsureCapacity(ref long[] buffer, int size)
    {
        if (buffer.Length >= size) return;
        Return(ref buffer);
        buffer = ArrayPool<long>.Shared.Rent(size);
    }

    private static void Return(ref long[] buffer)
    {
        if (buffer.Length > 0) ArrayPool<long>.Shared.Return(buffer);
        buffer = [];
    }
}
