using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Store.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FollowersAndDashboards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dashboard",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ActivityStreamLastViewed = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EmailLastSent = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dashboard", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_dashboard_user_UserId",
                        column: x => x.UserId,
                        principalTable: "user",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "follower",
                columns: table => new
                {
                    FollowerId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ObjectType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    ObjectId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Datetime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_follower", x => new { x.FollowerId, x.ObjectType, x.ObjectId });
                    table.ForeignKey(
                        name: "FK_follower_user_FollowerId",
                        column: x => x.FollowerId,
                        principalTable: "user",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_follower_ObjectType_ObjectId",
                table: "follower",
                columns: new[] { "ObjectType", "ObjectId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dashboard");

            migrationBuilder.DropTable(
                name: "follower");
        }
    }
}
