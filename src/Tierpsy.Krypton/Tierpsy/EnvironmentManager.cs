using System.Runtime.Serialization;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>What Setup builds Tierpsy's Python environment with on the cluster.</summary>
public enum EnvironmentManager
{
    /// <summary>A conda environment from the project's .krypton/tierpsy-environment.yml (the manual's way).</summary>
    [EnumMember(Value = "conda")]
    Conda,

    /// <summary>A Python virtual environment from .krypton/tierpsy-requirements.txt (sites without conda).</summary>
    [EnumMember(Value = "venv")]
    Venv,
}
