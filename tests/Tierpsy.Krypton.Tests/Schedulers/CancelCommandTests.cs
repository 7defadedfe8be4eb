using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests.Schedulers;

/// <summary>What the Cancel target runs on each scheduler for a submission of two arrays.</summary>
public class CancelCommandTests
{
    public static TheoryData<SchedulerKind> Kinds => new(Enum.GetValues<SchedulerKind>());

    private static SubmittedChunk[] TwoArrays(SchedulerKind kind) =>
        kind switch
        {
            SchedulerKind.Slurm => [new(new ArrayChunk(1, 0, 5), "4101"), new(new ArrayChunk(2, 5, 5), "4102")],
            SchedulerKind.PbsPro =>
            [
                new(new ArrayChunk(1, 0, 5), "8[].pbshost"),
                new(new ArrayChunk(2, 5, 5), "9[].pbshost"),
            ],
            SchedulerKind.Torque =>
            [
                new(new ArrayChunk(1, 0, 5), "1098[].localhost"),
                new(new ArrayChunk(2, 5, 5), "1099[].localhost"),
            ],
            _ => [new(new ArrayChunk(1, 0, 5), "31337"), new(new ArrayChunk(2, 5, 5), "31338")],
        };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Cancel_stops_every_array_of_the_submission(SchedulerKind kind) =>
        Approvals.Verify(kind.CreateScheduler().CancelCommand(TwoArrays(kind)), $"Two_arrays.{kind}");

    [Fact]
    public void Pbs_pro_cancels_two_arrays_with_the_command_recorded_on_openpbs()
    {
        var recorded = PbsRecording.Read("30_qdel_two_running_arrays");

        Assert.Equal(
            recorded.Command,
            SchedulerKind.PbsPro.CreateScheduler().CancelCommand(TwoArrays(SchedulerKind.PbsPro))
        );
        Assert.Equal((0, "", ""), (recorded.ExitCode, recorded.Stdout, recorded.Stderr));
    }
}
